import type { IndividualData } from "./types.js";

/**
 * A cache of work made on a dataset, by key, held as long as the dataset is (a WeakMap): what
 * several fits of one dataset share in a thread (inv_repr's λ runs and selection, Deep MR's members
 * and stage). Returns the get-or-make function.
 */
export function datasetCache<T>(): (data: IndividualData, key: string, make: () => T) => T {
  const byData = new WeakMap<IndividualData, Map<string, T>>();
  return (data, key, make) => {
    let byKey = byData.get(data);
    if (!byKey) {
      byKey = new Map();
      byData.set(data, byKey);
    }
    if (!byKey.has(key)) byKey.set(key, make());
    return byKey.get(key) as T;
  };
}
