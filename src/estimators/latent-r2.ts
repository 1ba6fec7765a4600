import { cholesky, cholSolve } from "../core/linalg.js";
import type { Core } from "../core/memory.js";
import type { IndividualData } from "./types.js";

/**
 * Latent R^2 (invariance-mr.md 4): per environment, each estimated latent column regressed by OLS
 * on [1, the true latents], R^2 averaged over the columns (scikit-learn's `score`), then the mean
 * over environments. The truth is read from columns `<prefix>0, <prefix>1, ...` (the invariance DGP's
 * oracle-only W0, W1 and V0, V1); NaN when the data have none or nothing was estimated.
 */
export function latentR2(
  core: Core,
  data: IndividualData,
  estimated: readonly Float64Array[],
  codes: Int32Array,
  levels: number,
  prefix: string,
): number {
  const truth: Float64Array[] = [];
  for (let j = 0; ; j++) {
    const c = data.columns.get(`${prefix}${j}`);
    if (!c) break;
    truth.push(c);
  }
  if (truth.length === 0 || estimated.length === 0) return Number.NaN;
  let total = 0;
  for (let e = 0; e < levels; e++) {
    const rows: number[] = [];
    for (let i = 0; i < codes.length; i++) if (codes[i] === e) rows.push(i);
    let r2 = 0;
    for (const y of estimated) r2 += r2On(core, truth, y, rows);
    total += r2 / estimated.length;
  }
  return total / levels;
}

/** R^2 of y on [1, xs] over the given rows: s_xy^T S_xx^-1 s_xy / s_yy from centred cross-products. */
function r2On(core: Core, xs: readonly Float64Array[], y: Float64Array, rows: readonly number[]): number {
  const q = xs.length;
  const mean = (v: Float64Array) => rows.reduce((s, i) => s + (v[i] as number), 0) / rows.length;
  const mx = xs.map(mean);
  const my = mean(y);
  const sxx = new Float64Array(q * q);
  const sxy = new Float64Array(q);
  let syy = 0;
  for (const i of rows) {
    const dy = (y[i] as number) - my;
    syy += dy * dy;
    for (let a = 0; a < q; a++) {
      const da = (xs[a]?.[i] as number) - (mx[a] as number);
      sxy[a] = (sxy[a] as number) + da * dy;
      for (let b = 0; b <= a; b++)
        sxx[b * q + a] = (sxx[b * q + a] as number) + da * ((xs[b]?.[i] as number) - (mx[b] as number));
    }
  }
  for (let a = 0; a < q; a++) for (let b = 0; b < a; b++) sxx[a * q + b] = sxx[b * q + a] as number;
  const f = cholesky(core, { rows: q, cols: q, data: sxx });
  if (f.status !== 0 || !(syy > 0)) return Number.NaN;
  const coef = cholSolve(core, f.lower, { rows: q, cols: 1, data: Float64Array.from(sxy) }).data;
  let explained = 0;
  for (let a = 0; a < q; a++) explained += (coef[a] as number) * (sxy[a] as number);
  return explained / syy;
}
