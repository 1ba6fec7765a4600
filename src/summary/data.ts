import type { Core } from "../core/memory.js";
import type { IndividualData } from "../estimators/types.js";

/** Per-variant summary statistics: SNP-exposure (bx, sx) and SNP-outcome (by, sy) estimates and SEs. */
export interface SummaryData {
  readonly names: readonly string[];
  readonly bx: Float64Array;
  readonly sx: Float64Array;
  readonly by: Float64Array;
  readonly sy: Float64Array;
}

/**
 * Summary statistics from individual-level data: for each instrument, the simple regressions of X
 * on G_j and of Y on G_j with an intercept (slope and its SE on n - 2 df), in one WASM pass over G.
 */
export function perSnpStats(core: Core, d: IndividualData): SummaryData {
  const { n } = d;
  const L = d.instruments.cols;
  return core.scoped(() => {
    const g = core.put(d.instruments.data);
    const xc = core.put(d.exposure);
    const yc = core.put(d.outcome);
    const means = core.alloc(2);
    core.wasm.center(n, 1, xc, n, means);
    core.wasm.center(n, 1, yc, n, means + 8);
    const out = core.alloc(4 * L);
    const w = core.wasm;
    w.snp_stats(n, L, g, n, xc, yc, w.dot(n, xc, xc), w.dot(n, yc, yc), out, out + 8 * L, out + 16 * L, out + 24 * L);
    const all = core.read(out, 4 * L);
    return {
      names: d.instrumentNames,
      bx: all.slice(0, L),
      sx: all.slice(L, 2 * L),
      by: all.slice(2 * L, 3 * L),
      sy: all.slice(3 * L),
    };
  });
}
