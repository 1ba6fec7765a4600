import type { Core } from "../core/memory.js";
import { factorDesign, type LsqFactor, type LsqFailure } from "./lsq.js";

/** What to do with a column that is constant or a combination of earlier ones: refuse the fit, or drop it. */
export type CollinearPolicy = "refuse" | "drop";

/** A factored design and which of the original columns it kept (0-based, ascending). */
export interface KeptFactor {
  readonly ok: true;
  readonly factor: LsqFactor;
  readonly kept: readonly number[];
}

/**
 * Factors the centred design at `d` (n x p, column-major), dropping with policy "drop" each column
 * that the pivoted Cholesky of lsq.ts flags (constant, or 1 - R^2 on the earlier kept columns
 * below COLLINEAR_TOL) and compacting the kept columns in place at `d`, so the factor describes
 * the first `kept.length` columns there. Dropping changes no fitted value: the dropped column is in
 * the span of the kept ones (and of the intercept). This is the rank-revealing solve that the
 * polynomial mixing of the invariance design needs, where one combination of Z equals 1.
 * With policy "refuse" the first flagged column fails the fit, as `tsls` does.
 */
export function factorKeeping(
  core: Core,
  n: number,
  p: number,
  d: number,
  policy: CollinearPolicy,
): KeptFactor | LsqFailure {
  const kept = Array.from({ length: p }, (_, j) => j);
  for (;;) {
    const f = factorDesign(core, n, kept.length, d);
    if (f.ok) return { ok: true, factor: f, kept };
    if (policy === "refuse") return { ...f, column: kept[f.column] as number };
    const j = f.column;
    core.copyTo(d + j * n * 8, d + (j + 1) * n * 8, n * (kept.length - j - 1));
    kept.splice(j, 1);
    if (kept.length === 0) return { ok: false, reason: "constant_column", column: 0 };
  }
}
