import type { Core } from "../core/memory.js";
import { type Design, denseDesign, implicitDesign } from "./design.js";
import { failedRow, tRow } from "./inference.js";
import { COLLINEAR_TOL, type LsqFactor, putCentred, solveFactored } from "./lsq.js";
import { type CollinearPolicy, factorKeeping } from "./rank.js";
import type { EstimateRow } from "./types.js";

/**
 * The k-class estimator with one endogenous exposure and exogenous controls C (Davidson and
 * MacKinnon, Econometric Theory and Methods, section 8.6; linearmodels' IVLIML):
 *
 *   beta_k = [X'(I - k M_Z)X]^-1 X'(I - k M_Z)y,   M_Z = I - P_[1, C, Z].
 *
 * Computed on [1, C] partialled out of y, X and Z (Frisch-Waugh-Lovell holds for every k because
 * (I - k M_Z) leaves [1, C] unchanged): with X~ = M_C X, X^ = P_Z~ X~ and r = M_Z~ X~,
 * X~'(I - k M)X~ = (1 - k) X~'X~ + k X^'X^, so k = 1 is exactly 2SLS's second stage.
 * k_LIML is the smallest root of det(W~'W~ - k W~'M W~) = 0 with W~ = [y~, X~] (a 2 x 2 problem,
 * solved in closed form). Fuller(a) is k_LIML - a / (n - K), K = 1 + |C| + L the columns of the
 * full instrument matrix (ivmodel, Stata's ivreg2 and linearmodels use the same K).
 * SE: sigma^2 [X~'(I - k M)X~]^-1 with sigma^2 = e'e / (n - k_reg), e = y - X b - C g the
 * structural residuals and k_reg = 2 + |C| (intercept, exposure, controls): AER's ivreg and
 * mrsweep's tsls use the same residual df, so k = 1 reproduces `tsls`.
 */

/** Which k: a fixed number, LIML, or Fuller's modification of LIML with constant `alpha`. */
export type KappaRule = { kind: "fixed"; value: number } | { kind: "liml" } | { kind: "fuller"; alpha: number };

/**
 * One k-class fit's inputs: columns of length n. y and X are copied into the core and centred
 * there; the instruments are read where they lie (copied in only when not in the core) unless
 * there are controls to residualise them on.
 */
export interface KclassInput {
  readonly id: string;
  readonly n: number;
  readonly outcome: Float64Array;
  readonly exposure: Float64Array;
  readonly instruments: readonly Float64Array[];
  readonly controls: readonly Float64Array[];
  readonly kappa: KappaRule;
  readonly collinear: CollinearPolicy;
}

/** The extras every k-class row carries, in column order. */
export const KCLASS_EXTRAS = ["kappa", "kappa_liml", "first_stage_f", "n_instruments", "n_controls", "df"] as const;

/**
 * Replaces each of the p centred columns at `v` by its residuals on the factored controls. With
 * `instruments`, a column (nearly) in the controls' span, which keeps only rounding noise that
 * would pass for an instrument of its own, is set to exactly 0 (1 - R^2 below COLLINEAR_TOL): the
 * instruments' factorisation then flags it as constant, as a joint factorisation of [C, Z] would.
 */
function residualise(core: Core, f: LsqFactor, v: number, n: number, p: number, instruments = false): void {
  // Each column's solve in its own scope: its residuals are copied back, so L columns need one n-vector, not L.
  for (let j = 0; j < p; j++) core.scoped(residualiseColumn, core, f, v + j * n * 8, n, instruments);
}

/** One column of `residualise`. */
function residualiseColumn(core: Core, f: LsqFactor, col: number, n: number, instruments: boolean): void {
  const w = core.wasm;
  const before = w.dot(n, col, col);
  const r = solveFactored(core, f, col);
  if (instruments && r.rss <= COLLINEAR_TOL * before) w.scal(n, 0, col);
  else core.copyTo(col, r.resid, n);
}

/**
 * The smallest root of det(A - k B) = 0 for 2 x 2 symmetric A = [[a11, a12], [a12, a22]] and B,
 * as 2 det A / (p + sqrt(p^2 - 4 det A det B)), which does not cancel (p > 0 for B positive definite).
 */
export function smallestGeneralizedRoot(a11: number, a12: number, a22: number, b11: number, b12: number, b22: number) {
  const detA = a11 * a22 - a12 * a12;
  const detB = b11 * b22 - b12 * b12;
  const p = a11 * b22 + a22 * b11 - 2 * a12 * b12;
  return (2 * detA) / (p + Math.sqrt(Math.max(0, p * p - 4 * detA * detB)));
}

/**
 * The instruments' design with [1, C] partialled out of y, X (in place) and Z: with controls, Z~ =
 * M_C Z is a new matrix (Z copied, centred and residualised); without, Z is read where it lies and
 * centred on the fly (no n x L copy). Fails with the row of a control set that cannot be factored.
 */
function partialOut(core: Core, input: KclassInput, y: number, x: number): { z: Design; nc: number } | EstimateRow {
  const { n } = input;
  const L = input.instruments.length;
  if (input.controls.length === 0) return { z: implicitDesign(core, input.instruments, n), nc: 0 };
  const controls = denseDesign(n, input.controls.length, putCentred(core, input.controls, n));
  const cf = factorKeeping(core, controls, input.collinear);
  if (!cf.ok) return failedRow(input.id, cf.reason, KCLASS_EXTRAS);
  residualise(core, cf.factor, y, n, 1);
  residualise(core, cf.factor, x, n, 1);
  const zc = putCentred(core, input.instruments, n);
  residualise(core, cf.factor, zc, n, L, true);
  return { z: denseDesign(n, L, zc), nc: cf.kept.length };
}

/** Fits the k-class estimator in the core (the caller's `core.scoped` frees the buffers). */
export function kclassInCore(core: Core, input: KclassInput): EstimateRow {
  const { id, n } = input;
  const w = core.wasm;
  const y = putCentred(core, [input.outcome], n);
  const x = putCentred(core, [input.exposure], n);
  const part = partialOut(core, input, y, x);
  if ("status" in part) return part;
  const { z, nc } = part;
  const zf = factorKeeping(core, z, input.collinear);
  if (!zf.ok) return failedRow(id, zf.reason, KCLASS_EXTRAS);
  const L = zf.kept.length;
  const dfFirst = n - L - nc - 1;
  const df = n - 2 - nc;
  if (dfFirst < 1 || df < 1) return failedRow(id, "too_few_rows", KCLASS_EXTRAS);
  const rx = solveFactored(core, zf.factor, x);
  const ry = solveFactored(core, zf.factor, y);
  const xhat = core.copy(x, n);
  w.axpy(n, -1, rx.resid, xhat);
  const xx = w.dot(n, x, x);
  const xy = w.dot(n, x, y);
  const kappaLiml = smallestGeneralizedRoot(w.dot(n, y, y), xy, xx, ry.rss, w.dot(n, ry.resid, rx.resid), rx.rss);
  const kappa = kappaOf(input.kappa, kappaLiml, n - 1 - nc - L);
  const a = (1 - kappa) * xx + kappa * w.dot(n, xhat, xhat);
  const b = (1 - kappa) * xy + kappa * w.dot(n, xhat, y);
  const estimate = b / a;
  const resid = core.copy(y, n);
  w.axpy(n, -estimate, x, resid);
  const se = Math.sqrt(w.dot(n, resid, resid) / df / a);
  return tRow(id, estimate, se, df, {
    kappa,
    kappa_liml: kappaLiml,
    first_stage_f: (xx - rx.rss) / L / (rx.rss / dfFirst),
    n_instruments: L,
    n_controls: nc,
    df,
  });
}

/** The k of a rule; `nMinusK` is n minus the columns of the full instrument matrix [1, C, Z]. */
function kappaOf(rule: KappaRule, kappaLiml: number, nMinusK: number): number {
  if (rule.kind === "fixed") return rule.value;
  return rule.kind === "liml" ? kappaLiml : kappaLiml - rule.alpha / nMinusK;
}
