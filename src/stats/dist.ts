/**
 * Student t, chi-square and F distribution functions for regression inference (p-values,
 * confidence intervals), built on the incomplete beta and gamma functions in beta.ts and gamma.ts.
 * Dependency-free double-precision implementations. Invalid arguments return NaN; nothing throws.
 * Upper tails are computed directly rather than as 1 - cdf, so tiny p-values keep their relative
 * accuracy.
 */

import { incBeta } from "./beta.js";
import { EPS } from "./constants.js";
import { incGamma, lbeta } from "./gamma.js";
import { normalCdf, normalQuantile, normalSf } from "./normal.js";

/** [1 / (1 + r), r / (1 + r)] for r = num / den, without overflow when num is huge or infinite. */
function splitRatio(num: number, den: number): [number, number] {
  if (num > den) {
    const s = den / num;
    return [s / (1 + s), 1 / (1 + s)];
  }
  const r = num / den;
  return [1 / (1 + r), r / (1 + r)];
}

/** [P(T <= t), P(T > t)]; P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2) (see: A&S 26.7.1). */
function studentTTails(t: number, df: number): [number, number] {
  if (Number.isNaN(t) || !(df > 0)) return [Number.NaN, Number.NaN];
  if (df === Number.POSITIVE_INFINITY) return [normalCdf(t), normalSf(t)];
  const [x, y] = splitRatio(t * t, df);
  const [twoSided, central] = incBeta(df / 2, 0.5, x, y);
  const far = 0.5 * twoSided;
  const near = 0.5 + 0.5 * central;
  return t > 0 ? [near, far] : [far, near];
}

/** Student t CDF P(T <= t) for df > 0 (non-integer allowed; Infinity gives the normal), via the
 * incomplete beta (see: Abramowitz & Stegun 26.7.1; Numerical Recipes 3rd ed. 6.14). */
export function studentTCdf(t: number, df: number): number {
  return studentTTails(t, df)[0];
}

/** Student t upper tail P(T > t), computed from the tail itself (see studentTCdf: A&S 26.7.1). */
export function studentTSf(t: number, df: number): number {
  return studentTTails(t, df)[1];
}

/** Two-sided p-value 2 P(T > |t|) = I_{df/(df+t^2)}(df/2, 1/2), never formed as 1 - cdf
 * (see: Abramowitz & Stegun 26.7.1; Numerical Recipes 3rd ed. 6.14). */
export function studentTTwoSided(t: number, df: number): number {
  return 2 * Math.min(...studentTTails(t, df));
}

/** t density: (1 + t^2/df)^(-(df+1)/2) / (sqrt(df) B(df/2, 1/2)). */
function studentTDensity(t: number, df: number): number {
  return Math.exp(-lbeta(df / 2, 0.5) - 0.5 * Math.log(df) - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/** Hill's starting value for the upper quantile at two-sided probability P, df >= 1
 * (see: G. W. Hill 1970, CACM Algorithm 396 "Student's t-quantiles"). */
function hillStart(P: number, n: number): number {
  const a = 1 / (n - 0.5);
  const b = 48 / (a * a);
  let c = (((20700 * a) / b - 98) * a - 16) * a + 96.36;
  const d = ((94.5 / (b + c) - 3) / b + 1) * Math.sqrt((a * Math.PI) / 2) * n;
  let y = (d * P) ** (2 / n);
  if ((n < 2.1 && P > 0.5) || y > 0.05 + a) {
    const x = normalQuantile(0.5 * P);
    y = x * x;
    if (n < 5) c += 0.3 * (n - 4.5) * (x + 0.6);
    c = (((0.05 * d * x - 5) * x - 7) * x - 2) * x + b + c;
    y = (((((0.4 * y + 6.3) * y + 36) * y + 94.5) / c - y - 3) / b + 1) * x;
    return Math.sqrt(n * Math.expm1(a * y * y));
  }
  y =
    ((1 / (((n + 6) / (n * y) - 0.089 * d - 0.822) * (n + 2) * 3) + 0.5 / (n + 4)) * y - 1) * ((n + 1) / (n + 2)) +
    1 / y;
  return Math.sqrt(n * y);
}

/**
 * Student t quantile for p in (0, 1) and df > 0 (non-integer allowed); p outside (0, 1) gives NaN.
 * Start: Hill's algorithm (AS 396, Hill 1970) for df >= 1, the power-law tail P(T > q) ~
 * df^(df/2-1) q^-df / B(df/2, 1/2) below that. Refinement: the second-order Taylor
 * (Halley-type) step q += dx (1 + dx q (df + 1) / (2 (q^2 + df))), dx = (P(T > q) - tail) / f(q),
 * from Hill's 1981 remark on Algorithm 396 (ACM TOMS 7:250-251), as in R's qt, kept inside a
 * bisection bracket so a poor start cannot diverge. Near the centre the residual is formed from
 * the central probability |p - 1/2|, so quantiles close to 0 keep their relative accuracy.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return Number.NaN;
  if (df === Number.POSITIVE_INFINITY) return normalQuantile(p);
  if (p === 0.5) return 0;
  const tail = Math.min(p, 1 - p);
  const centre = Math.abs(p - 0.5);
  let q =
    df >= 1
      ? hillStart(2 * tail, df)
      : Math.exp(((df / 2 - 1) * Math.log(df) - lbeta(df / 2, 0.5) - Math.log(tail)) / df);
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 200; i++) {
    const [x, y] = splitRatio(q * q, df);
    const [twoSided, central] = incBeta(df / 2, 0.5, x, y);
    const g = twoSided < central ? 0.5 * twoSided - tail : centre - 0.5 * central;
    if (g === 0) break;
    if (g > 0) lo = q;
    else hi = q;
    const dx = g / studentTDensity(q, df);
    let next = q + dx * (1 + (dx * q * (df + 1)) / (2 * (q * q + df)));
    if (!(next > lo && next < hi)) next = hi === Number.POSITIVE_INFINITY ? 2 * q + 1 : 0.5 * (lo + hi);
    const done = Math.abs(next - q) <= 4 * EPS * q;
    q = next;
    if (done) break;
  }
  if (!Number.isFinite(q * q)) q = Number.POSITIVE_INFINITY;
  return p < 0.5 ? -q : q;
}

/** Chi-square upper tail P(X > x) = Q(df/2, x/2) for df > 0; 1 for x <= 0
 * (see: Abramowitz & Stegun 26.4.19; Numerical Recipes 3rd ed. 6.2). */
export function chiSquareSf(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0 && df < Number.POSITIVE_INFINITY)) return Number.NaN;
  return x <= 0 ? 1 : incGamma(df / 2, x / 2)[1];
}

/** F upper tail P(F > f) = I_{d2/(d2+d1 f)}(d2/2, d1/2) for d1, d2 > 0; 1 for f <= 0
 * (see: Abramowitz & Stegun 26.6.2; Numerical Recipes 3rd ed. 6.14). */
export function fSf(f: number, df1: number, df2: number): number {
  if (Number.isNaN(f) || !(df1 > 0 && df2 > 0) || !Number.isFinite(df1 + df2)) return Number.NaN;
  if (f <= 0) return 1;
  const [x, y] = splitRatio(df1 * f, df2);
  return incBeta(df2 / 2, df1 / 2, x, y)[0];
}
