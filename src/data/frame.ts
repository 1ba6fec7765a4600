/**
 * A table of named numeric columns, all of one length. `integer` marks columns whose values are
 * whole numbers (genotypes, age, sex), which are written without a decimal point.
 */
export interface Frame {
  readonly n: number;
  readonly names: readonly string[];
  readonly columns: readonly Float64Array[];
  readonly integer: readonly boolean[];
}

/** Builds a frame from [name, values, integer?] triples. */
export function frame(entries: ReadonlyArray<readonly [string, Float64Array, boolean?]>): Frame {
  const n = entries[0]?.[1].length ?? 0;
  for (const [name, values] of entries) {
    if (values.length !== n)
      throw new RangeError(`frame: column "${name}" must have ${n} values; got ${values.length}`);
  }
  return {
    n,
    names: entries.map((e) => e[0]),
    columns: entries.map((e) => e[1]),
    integer: entries.map((e) => e[2] ?? false),
  };
}

/** The column called `name`, or undefined. */
export function getColumn(f: Frame, name: string): Float64Array | undefined {
  const j = f.names.indexOf(name);
  return j < 0 ? undefined : f.columns[j];
}
