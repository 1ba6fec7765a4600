/**
 * Standard normal upper tail, CDF and quantile (Cody 1969; Wichura 1988, AS 241).
 * Dependency-free double-precision implementations. Invalid arguments return NaN; nothing throws.
 * The upper tail is computed directly rather than as 1 - cdf, so tiny p-values keep their relative
 * accuracy.
 */

import { horner } from "./poly.js";

const INV_SQRT_2PI = 0.3989422804014327;

// Published coefficients (Cody 1969; Wichura 1988), each written as the shortest decimal of the
// double that the published 20-digit value rounds to.
const CODY_A = [2.2352520354606837, 161.02823106855587, 1067.6894854603709, 18154.98125334356, 0.06568233791820745];
const CODY_B = [47.202581904688245, 976.0985517377767, 10260.932208618979, 45507.78933502673];
const CODY_C = [
  0.39894151208813466, 8.883149794388377, 93.50665613217785, 597.2702763948002, 2494.5375852903726, 6848.190450536283,
  11602.65143764735, 9842.714838383978, 1.0765576773720192e-8,
];
const CODY_D = [
  22.266688044328117, 235.387901782625, 1519.3775994075547, 6485.558298266761, 18615.571640885097, 34900.95272114598,
  38912.00328609327, 19685.429676859992,
];
const CODY_P = [
  0.215898534057957, 0.12740116116024736, 0.022235277870649807, 0.0014216191932278934, 0.000029112874951168793,
  0.023073441764940174,
];
const CODY_Q = [
  1.284260096144911, 0.4682382124808651, 0.06598813786892856, 0.0037823963320275824, 0.00007297515550839662,
];

/** Cody's rational form: num has one more coefficient than den, den's leading coefficient is 1. */
function codyRational(x: number, num: readonly number[], den: readonly number[]): number {
  const n = den.length;
  let xnum = (num[n] as number) * x;
  let xden = x;
  for (let i = 0; i < n - 1; i++) {
    xnum = (xnum + (num[i] as number)) * x;
    xden = (xden + (den[i] as number)) * x;
  }
  return (xnum + (num[n - 1] as number)) / (xden + (den[n - 1] as number));
}

/** exp(-y^2 / 2), with y^2 split as s^2 + (y - s)(y + s) for s = y rounded down to 1/16 so that
 * the rounding error of y * y is not amplified by exp. */
function gaussFactor(y: number): number {
  const s = Math.trunc(y * 16) / 16;
  return Math.exp(-0.5 * s * s) * Math.exp(-0.5 * (y - s) * (y + s));
}

/**
 * Upper tail P(Z > z) of the standard normal, accurate relative to the tail itself down to the
 * underflow threshold (z ~ 38.5). Cody's rational Chebyshev approximations on |z| <= 0.674,
 * <= sqrt(32) and beyond (see: Cody 1969, Math. Comp. 23:631-637; W. J. Cody, ACM TOMS 715 ANORM).
 */
export function normalSf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const y = Math.abs(z);
  if (y <= 0.67448975) return 0.5 - z * codyRational(z * z, CODY_A, CODY_B);
  let tail: number;
  if (y <= Math.sqrt(32)) tail = gaussFactor(y) * codyRational(y, CODY_C, CODY_D);
  else if (y < 40) {
    const r = 1 / (y * y);
    tail = (gaussFactor(y) * (INV_SQRT_2PI - r * codyRational(r, CODY_P, CODY_Q))) / y;
  } else tail = 0;
  return z > 0 ? tail : 1 - tail;
}

/** Standard normal CDF P(Z <= z) = normalSf(-z) (see normalSf: Cody 1969). */
export function normalCdf(z: number): number {
  return normalSf(-z);
}

const AS241_A = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987, 67265.7709270087,
  33430.57558358813, 2509.0809287301227,
];
const AS241_B = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271, 28729.085735721943,
  5226.495278852854,
];
const AS241_C = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684, 0.2417807251774506,
  0.022723844989269184, 0.0007745450142783414,
];
const AS241_D = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008, 0.015198666563616457,
  0.0005475938084995345, 1.0507500716444169e-9,
];
const AS241_E = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124,
  0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
];
const AS241_F = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133, 0.000018463183175100548,
  1.421511758316446e-7, 2.0442631033899397e-15,
];

/**
 * Standard normal quantile for p in (0, 1), to about 1 part in 1e16: Wichura's rational
 * approximations in q = p - 1/2 (|q| <= 0.425) or r = sqrt(-ln min(p, 1 - p)) (r <= 5, r > 5)
 * (see: AS 241 (Wichura 1988) PPND16, Applied Statistics 37:477-484).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return Number.NaN;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * horner(r, AS241_A)) / horner(r, AS241_B);
  }
  const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  const z =
    r <= 5 ? horner(r - 1.6, AS241_C) / horner(r - 1.6, AS241_D) : horner(r - 5, AS241_E) / horner(r - 5, AS241_F);
  return q < 0 ? -z : z;
}
