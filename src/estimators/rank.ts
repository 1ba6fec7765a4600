import type { Core } from "../core/memory.js";
import { type Design, dropColumn } from "./design.js";
import { factorCentred, type LsqFactor, type LsqFailure } from "./lsq.js";

/** What to do with a column that is constant or a combination of earlier ones: refuse the fit, or drop it. */
export type CollinearPolicy = "refuse" | "drop";

/** A factored design and which of the original columns it kept (0-based, ascending). */
export interface KeptFactor {
  readonly ok: true;
  readonly factor: LsqFactor;
  readonly kept: readonly number[];
}

/**
 * Factors a centred design (dense or implicit, src/estimators/design.ts), dropping with policy
 * "drop" each column that the pivoted Cholesky of lsq.ts flags (constant, or 1 - R^2 on the earlier
 * kept columns below COLLINEAR_TOL) and compacting the kept columns in place, so the factor
 * describes the kept columns in order. Dropping changes no fitted value: the dropped column is in
 * the span of the kept ones (and of the intercept). This is the rank-revealing solve that the
 * polynomial mixing of the invariance design needs, where one combination of Z equals 1.
 * With policy "refuse" the first flagged column fails the fit, as `tsls` does.
 */
export function factorKeeping(core: Core, design: Design, policy: CollinearPolicy): KeptFactor | LsqFailure {
  const kept = Array.from({ length: design.p }, (_, j) => j);
  let d = design;
  for (;;) {
    const f = factorCentred(core, d);
    if (f.ok) return { ok: true, factor: f, kept };
    if (policy === "refuse") return { ...f, column: kept[f.column] as number };
    const j = f.column;
    d = dropColumn(core, d, j);
    kept.splice(j, 1);
    if (kept.length === 0) return { ok: false, reason: "constant_column", column: 0 };
  }
}
