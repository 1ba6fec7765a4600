import type { EstimateRow } from "../estimators/types.js";

/** A number for a terminal table: 4 significant digits, exponent form when tiny, `-` when missing. */
export function short(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return "-";
  if (v !== 0 && Math.abs(v) < 1e-3) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

/** A p-value for a terminal table: below 1e-16 it is shown as a bound, since it is below rounding anyway. */
export function pText(p: number): string {
  return Number.isFinite(p) && p < 1e-16 ? "<1e-16" : short(p);
}

/** The rows as an aligned plain-text table (estimate, SEs, CI and what it is, p, first-stage F, status). */
export function estimateTable(rows: readonly EstimateRow[]): string {
  const header = ["estimator", "estimate", "se", "se_robust", "95% CI", "interval", "p", "first-stage F", "status"];
  const body = rows.map((r) => [
    r.estimator,
    short(r.estimate),
    short(r.se),
    short(r.extras.se_robust),
    Number.isFinite(r.ci_lower) ? `[${short(r.ci_lower)}, ${short(r.ci_upper)}]` : "-",
    r.interval ?? "-",
    pText(r.p_value),
    short(r.extras.first_stage_f),
    r.status,
  ]);
  const all = [header, ...body];
  const widths = header.map((_, j) => Math.max(...all.map((row) => (row[j] as string).length)));
  return `${all
    .map((row) =>
      row
        .map((c, j) => c.padEnd(widths[j] as number))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}

/**
 * The rows as JSON objects: the fixed fields (`interval` after ci_upper), then the extras
 * flattened; NaN becomes null. Per-unit outputs are left out (they go to `--per-person`'s file).
 */
export function estimateJson(rows: readonly EstimateRow[]): string {
  return toJson(estimateObjects(rows));
}

/** JSON text with NaN and infinities as null, indented by 2. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`;
}

/** The rows as the objects `estimateJson` prints. */
export function estimateObjects(rows: readonly EstimateRow[]): Record<string, unknown>[] {
  return rows.map(({ extras, estimator, estimate, se, ci_lower, ci_upper, interval, units: _, ...rest }) => ({
    estimator,
    estimate,
    se,
    ci_lower,
    ci_upper,
    interval: interval ?? null,
    ...rest,
    ...extras,
  }));
}
