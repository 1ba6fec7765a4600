/**
 * Comparing sweep configurations as values, whatever the order of their keys: the differences are
 * listed by key path (`params.pi_scale: 0.3 → 0.5`), and a run can be extended when only its
 * replicates and grid values grew.
 */

type Json = unknown;

function isRecord(v: Json): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** JSON text with object keys sorted at every level: equal configurations give equal text. */
export function canonicalJson(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (isRecord(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** Every difference between two configurations as `path: before → after` (absent is `(none)`). */
export function configDiff(before: Json, after: Json, path = ""): string[] {
  if (canonicalJson(before) === canonicalJson(after)) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => configDiff(before[k], after[k], path ? `${path}.${k}` : k));
  }
  const text = (v: Json) => (v === undefined ? "(none)" : canonicalJson(v));
  return [`${path || "(configuration)"}: ${text(before)} → ${text(after)}`];
}

/** How a new configuration relates to the one a folder's run was made with. */
export type Relation =
  | { kind: "same" }
  | { kind: "extends"; changes: string[] }
  | { kind: "differs"; changes: string[] };

/**
 * `same`, `extends` (only more replicates and/or more values on the same grid axes, in the same
 * axis order: every task of the old plan is a task of the new one, with the same seed, since seeds
 * derive from a cell's values and not its position), or `differs`.
 */
export function relate(before: Record<string, Json>, after: Record<string, Json>): Relation {
  const changes = configDiff(before, after);
  // The order of the grid's axes is the order of replicates.csv's columns and of its cells.
  const axes = (c: Record<string, Json>) => (isRecord(c.grid) ? Object.keys(c.grid).join(",") : "");
  if (axes(before) !== axes(after)) changes.push(`grid axes: ${axes(before)} → ${axes(after)}`);
  if (changes.length === 0) return { kind: "same" };
  const rest = (c: Record<string, Json>) => ({ ...c, replicates: undefined, grid: undefined });
  const grown =
    configDiff(rest(before), rest(after)).length === 0 &&
    Number(after.replicates) >= Number(before.replicates) &&
    gridGrew(before.grid, after.grid);
  return grown ? { kind: "extends", changes } : { kind: "differs", changes };
}

function gridGrew(before: Json, after: Json): boolean {
  if (!isRecord(before) || !isRecord(after)) return false;
  const axes = Object.keys(before);
  if (canonicalJson(axes) !== canonicalJson(Object.keys(after))) return false;
  return axes.every((k) => {
    const old = before[k];
    const now = after[k];
    if (!Array.isArray(old) || !Array.isArray(now)) return false;
    const texts = now.map(canonicalJson);
    return old.every((v) => texts.includes(canonicalJson(v)));
  });
}
