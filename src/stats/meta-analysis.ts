import { errors } from "../errors.js";
import { normalQuantile } from "./normal.js";

/**
 * Random-effects meta-analysis of estimates y with sampling variances v (intercept-only model),
 * as metafor's `rma.uni` fits it (and `meta::metagen` through it): the between-study variance
 * tau^2 by REML (Fisher scoring) or DerSimonian-Laird, then the inverse-variance estimate with
 * weights 1 / (v + tau^2) and a normal (z) interval, no Hartung-Knapp adjustment.
 * Re-implemented from the description of metafor 3.8's algorithm (see docs/deep-mr spec section 2.2).
 */

/** The tau^2 estimator. */
export type Tau2Method = "REML" | "DL";

export const TAU2_METHODS: readonly Tau2Method[] = ["REML", "DL"];

/** Settings of the fit; the defaults are metafor's, except that Deep MR passes stepadj 0.5 and maxiter 5000. */
export interface MetaOptions {
  /** tau^2 estimator (default "REML"). */
  method?: Tau2Method;
  /** Fisher-scoring step multiplier (metafor's `stepadj`, default 1). */
  stepadj?: number;
  /** Most Fisher-scoring iterations (metafor's `maxiter`, default 100). */
  maxiter?: number;
  /** Convergence when |change of tau^2| <= threshold (metafor's `threshold`, default 1e-5). */
  threshold?: number;
  /** After convergence, use tau^2 = 0 if its restricted log-likelihood is higher by more than 2^-13 (default true). */
  ll0check?: boolean;
}

/** A random-effects fit. `status` is "not_converged" when Fisher scoring ran out of iterations (R stops there). */
export interface MetaResult {
  TE: number;
  SE: number;
  ci_lower: number;
  ci_upper: number;
  tau2: number;
  tau: number;
  k: number;
  /** Fisher-scoring iterations as metafor counts them (0 for DL and for k = 1). */
  iterations: number;
  status: "ok" | "not_converged";
}

const WHERE = "meta-analysis";
const Z975 = normalQuantile(0.975);
/** metafor's `tol` = .Machine$double.eps^0.25 = 2^-13: the log-likelihood gain that ll0check requires. */
const LL0_TOL = 2 ** -13;

/** Sums over studies with weights w = 1 / (v + tau2): S1 = sum w, S2 = sum w^2, S3 = sum w^3, mu. */
function weighted(y: ArrayLike<number>, v: ArrayLike<number>, tau2: number) {
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let swy = 0;
  for (let i = 0; i < y.length; i++) {
    const w = 1 / ((v[i] as number) + tau2);
    s1 += w;
    s2 += w * w;
    s3 += w * w * w;
    swy += w * (y[i] as number);
  }
  return { s1, s2, s3, mu: swy / s1 };
}

/** Weighted residual sums: sum w (y - mu)^2 and sum w^2 (y - mu)^2. */
function residualSums(y: ArrayLike<number>, v: ArrayLike<number>, tau2: number, mu: number) {
  let q = 0;
  let q2 = 0;
  for (let i = 0; i < y.length; i++) {
    const w = 1 / ((v[i] as number) + tau2);
    const r2 = ((y[i] as number) - mu) ** 2;
    q += w * r2;
    q2 += w * w * r2;
  }
  return { q, q2 };
}

/**
 * Restricted log-likelihood of the intercept-only model at tau2:
 * -(k-1)/2 log(2 pi) - 1/2 sum log(v + tau2) - 1/2 log(sum w) - 1/2 sum w (y - mu)^2.
 */
export function remlLogLik(y: ArrayLike<number>, v: ArrayLike<number>, tau2: number): number {
  const { s1, mu } = weighted(y, v, tau2);
  let logdet = 0;
  for (let i = 0; i < v.length; i++) logdet += Math.log((v[i] as number) + tau2);
  const { q } = residualSums(y, v, tau2, mu);
  return -0.5 * (y.length - 1) * Math.log(2 * Math.PI) - 0.5 * logdet - 0.5 * Math.log(s1) - 0.5 * q;
}

/** DerSimonian-Laird: tau^2 = max(0, (Q - (k - 1)) / (S1 - S2 / S1)) with fixed-effect weights 1 / v. */
export function tau2DerSimonianLaird(y: ArrayLike<number>, v: ArrayLike<number>): number {
  const { s1, s2, mu } = weighted(y, v, 0);
  const { q } = residualSums(y, v, 0, mu);
  return Math.max(0, (q - (y.length - 1)) / (s1 - s2 / s1));
}

/** Hedges' estimator, metafor's REML start: max(0, sum (y - ybar)^2 / (k - 1) - mean(v)). */
function tau2Hedges(y: ArrayLike<number>, v: ArrayLike<number>): number {
  const k = y.length;
  let ybar = 0;
  for (let i = 0; i < k; i++) ybar += y[i] as number;
  ybar /= k;
  let rss = 0;
  let trPV = 0;
  for (let i = 0; i < k; i++) {
    rss += ((y[i] as number) - ybar) ** 2;
    trPV += (v[i] as number) * (1 - 1 / k);
  }
  return Math.max(0, (rss - trPV) / (k - 1));
}

/**
 * REML by Fisher scoring, as metafor iterates it: from Hedges' start, step = stepadj (y'PPy - tr P) / tr(PP),
 * halved while it would make tau^2 negative, until |change| <= threshold. metafor declares failure
 * once the iteration count exceeds maxiter (so maxiter + 1 updates are made); the last iterate is kept.
 */
function tau2Reml(y: ArrayLike<number>, v: ArrayLike<number>, o: Required<Omit<MetaOptions, "method">>) {
  let tau2 = tau2Hedges(y, v);
  let iterations = 0;
  let change = o.threshold + 1;
  while (change > o.threshold) {
    iterations++;
    const old = tau2;
    const { s1, s2, s3, mu } = weighted(y, v, tau2);
    const { q2 } = residualSums(y, v, tau2, mu);
    const trP = s1 - s2 / s1;
    const trPP = s2 - (2 * s3) / s1 + (s2 * s2) / (s1 * s1);
    let step = (o.stepadj * (q2 - trP)) / trPP;
    // metafor sets an NA step to 0; an infinite one (overflowing weights) would halve forever, so it is 0 too.
    if (!Number.isFinite(step)) step = 0;
    while (tau2 + step < 0) step /= 2;
    tau2 += step;
    change = Math.abs(old - tau2);
    if (iterations > o.maxiter) return { tau2, iterations, converged: false };
  }
  if (o.ll0check && tau2 > o.threshold && remlLogLik(y, v, 0) - remlLogLik(y, v, tau2) > LL0_TOL) tau2 = 0;
  return { tau2, iterations, converged: true };
}

function checkInputs(y: ArrayLike<number>, v: ArrayLike<number>): void {
  if (y.length !== v.length)
    throw errors.invalid(WHERE, "the number of variances", `${y.length} (one per estimate)`, v.length);
  if (y.length < 1) throw errors.invalid(WHERE, "the number of estimates", "at least 1", 0);
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) throw errors.invalid(WHERE, `estimate ${i + 1}`, "a finite number", y[i]);
    const vi = v[i] as number;
    if (!(Number.isFinite(vi) && vi > 0)) throw errors.invalid(WHERE, `variance ${i + 1}`, "finite and > 0", vi);
  }
}

function resolveOptions(options: MetaOptions) {
  const o = { method: "REML" as Tau2Method, stepadj: 1, maxiter: 100, threshold: 1e-5, ll0check: true, ...options };
  if (!TAU2_METHODS.includes(o.method)) throw errors.unknownId(WHERE, "method", o.method, TAU2_METHODS);
  if (!(Number.isFinite(o.stepadj) && o.stepadj > 0))
    throw errors.invalid(WHERE, "stepadj", "finite and > 0", o.stepadj);
  if (!(Number.isInteger(o.maxiter) && o.maxiter >= 1))
    throw errors.invalid(WHERE, "maxiter", "an integer >= 1", o.maxiter);
  if (!(Number.isFinite(o.threshold) && o.threshold > 0))
    throw errors.invalid(WHERE, "threshold", "finite and > 0", o.threshold);
  return o;
}

/**
 * Random-effects meta-analysis of estimates `y` with sampling variances `v` (> 0): tau^2 by REML
 * (metafor's Fisher scoring, with ll0check) or DerSimonian-Laird, then TE = sum w y / sum w with
 * w = 1 / (v + tau^2), SE = 1 / sqrt(sum w), CI TE -/+ 1.959964 SE. With k = 1, tau^2 = 0 as in metafor.
 * Throws an input error for mismatched lengths, k = 0, non-finite y or v <= 0, and bad options.
 */
export function randomEffectsMeta(y: ArrayLike<number>, v: ArrayLike<number>, options: MetaOptions = {}): MetaResult {
  checkInputs(y, v);
  const o = resolveOptions(options);
  let fit = { tau2: 0, iterations: 0, converged: true };
  if (y.length > 1) fit = o.method === "DL" ? { ...fit, tau2: tau2DerSimonianLaird(y, v) } : tau2Reml(y, v, o);
  const { s1, mu } = weighted(y, v, fit.tau2);
  const se = 1 / Math.sqrt(s1);
  return {
    TE: mu,
    SE: se,
    ci_lower: mu - Z975 * se,
    ci_upper: mu + Z975 * se,
    tau2: fit.tau2,
    tau: Math.sqrt(fit.tau2),
    k: y.length,
    iterations: fit.iterations,
    status: fit.converged ? "ok" : "not_converged",
  };
}
