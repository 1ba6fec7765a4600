/**
 * Probability distribution functions for regression inference (p-values, confidence intervals).
 * Dependency-free double-precision implementations. Invalid arguments return NaN; nothing throws.
 * Upper tails are computed directly rather than as 1 - cdf, so tiny p-values keep their relative
 * accuracy.
 */

const EPS = 2.220446049250313e-16;
/** Floor for the modified Lentz recurrences, so a zero partial denominator cannot divide by zero. */
const TINY = 1e-300;
const MAX_ITER = 100_000;
const LN_SQRT_2PI = 0.91893853320467274178;
const INV_SQRT_2PI = 0.39894228040143267794;

/** Sum of c[i] * r^i. */
function horner(r: number, c: readonly number[]): number {
  let s = 0;
  for (let i = c.length - 1; i >= 0; i--) s = s * r + (c[i] as number);
  return s;
}

/**
 * Remainder of Stirling's series, lgamma(x) - [(x - 1/2) ln x - x + ln sqrt(2 pi)], for x >= 10:
 * sum of B_2k / (2k (2k - 1) x^(2k - 1)) for k = 1..7; the first omitted term is below 3e-17.
 * Kept separate so lbeta can cancel the large parts of lgamma analytically.
 */
function lgammaCorr(x: number): number {
  const z = 1 / (x * x);
  const series = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156];
  return horner(z, series) / x;
}

/**
 * Natural log of the gamma function for x > 0.
 * For x >= 10, Stirling's series with seven Bernoulli terms (see: Abramowitz & Stegun 6.1.40);
 * below 10, the recurrence lgamma(x) = lgamma(x + n) - ln(x (x + 1) ... (x + n - 1)).
 * The zeros at 1 and 2 are returned exactly, since the recurrence would leave ~1e-15 of noise.
 */
export function lgamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  if (x === 1 || x === 2) return 0;
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + lgammaCorr(x);
  let prod = 1;
  let y = x;
  for (; y < 10; y += 1) prod *= y;
  return lgamma(y) - Math.log(prod);
}

/**
 * ln B(a, b), without the cancellation of lgamma(a) + lgamma(b) - lgamma(a + b) when a or b is
 * large: the Stirling terms are combined analytically (see: R nmath lbeta.c; DiDonato & Morris
 * 1992, ACM TOMS 708). This matters for t tails with df ~ 1e6, where lgamma(df/2) ~ 6e6.
 */
function lbeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  const ratio = p / (p + q);
  if (p >= 10) {
    const corr = lgammaCorr(p) + lgammaCorr(q) - lgammaCorr(p + q);
    return -0.5 * Math.log(q) + LN_SQRT_2PI + corr + (p - 0.5) * Math.log(ratio) + q * Math.log1p(-ratio);
  }
  if (q >= 10) {
    const corr = lgammaCorr(q) - lgammaCorr(p + q);
    return lgamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-ratio);
  }
  return lgamma(p) + lgamma(q) - lgamma(p + q);
}

const CODY_A = [
  2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113,
];
const CODY_B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
const CODY_C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
];
const CODY_D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
const CODY_P = [
  0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5,
  0.02307344176494017303,
];
const CODY_Q = [
  1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5,
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
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457,
  67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
];
const AS241_B = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061,
  28729.085735721942674, 5226.495278852854561,
];
const AS241_C = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258,
  0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
];
const AS241_D = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
];
const AS241_E = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093,
  0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
];
const AS241_F = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4,
  1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
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

/** One modified Lentz step for a continued fraction term a/(b + ...): returns the new [c, d]. */
function lentz(c: number, d: number, a: number, b: number): [number, number] {
  let dn = b + a * d;
  let cn = b + a / c;
  if (Math.abs(dn) < TINY) dn = TINY;
  if (Math.abs(cn) < TINY) cn = TINY;
  return [cn, 1 / dn];
}

/** Continued fraction for I_x(a, b), converging fast for x < (a + 1) / (a + b + 2)
 * (see: Numerical Recipes 3rd ed. 6.4 betacf, modified Lentz). */
function betaCf(a: number, b: number, x: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < TINY ? TINY : d);
  let h = d;
  for (let m = 1; m <= MAX_ITER; m++) {
    const m2 = 2 * m;
    [c, d] = lentz(c, d, (m * (b - m) * x) / ((a - 1 + m2) * (a + m2)), 1);
    h *= d * c;
    [c, d] = lentz(c, d, (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2)), 1);
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/**
 * [I_x(a, b), 1 - I_x(a, b)] by the continued fraction, evaluated on the side where it converges
 * via I_x(a, b) = 1 - I_y(b, a); the prefactor x^a y^b / (a B(a, b)) is formed in logs with log1p.
 */
function cfBeta(a: number, b: number, x: number, y: number): [number, number] {
  if (x > (a + 1) / (a + b + 2)) {
    const [lower, upper] = cfBeta(b, a, y, x);
    return [upper, lower];
  }
  const logX = x < 0.5 ? Math.log(x) : Math.log1p(-y);
  const logY = y < 0.5 ? Math.log(y) : Math.log1p(-x);
  const value = (Math.exp(a * logX + b * logY - lbeta(a, b)) * betaCf(a, b, x)) / a;
  return [value, 1 - value];
}

/**
 * I_x(a, b) for large a (>= 15) and b <= 1 with x near 1, where the continued fraction is
 * ill-conditioned (its first partial denominator is ~ y + (1 - b) / a): DiDonato & Morris's
 * asymptotic expansion in incomplete gamma functions of u = -(a + (b - 1) / 2) ln x
 * (see: DiDonato & Morris 1992, ACM TOMS 708, BGRAT, eqs. 9-9.6).
 */
function bgrat(a: number, b: number, y: number): number {
  const t = a + (b - 1) / 2;
  const lx = Math.log1p(-y);
  const u = -t * lx;
  const logM = b * Math.log(-lx) - u - lbeta(a, b);
  if (logM < -745) return 0;
  let j = u < b + 1 ? incGamma(b, u)[1] / Math.exp(logGammaPrefactor(b, u)) : gammaCf(b, u);
  let sum = j;
  const p = [1];
  const invOddFactorial = [1];
  const lx2 = (lx / 2) * (lx / 2);
  let lxPow = 1;
  for (let n = 1; n <= 30; n++) {
    invOddFactorial.push((invOddFactorial[n - 1] as number) / (2 * n * (2 * n + 1)));
    let pn = 0;
    for (let m = 1; m < n; m++) pn += (m * b - n) * (p[n - m] as number) * (invOddFactorial[m] as number);
    pn = pn / n + (b - 1) * (invOddFactorial[n] as number);
    p.push(pn);
    const b2n = b + 2 * n - 2;
    j = (b2n * (b2n + 1) * j + (u + b2n + 1) * lxPow) / (4 * t * t);
    lxPow *= lx2;
    const term = pn * j;
    sum += term;
    if (Math.abs(term) <= EPS * Math.abs(sum)) break;
  }
  return Math.exp(logM) * sum;
}

/**
 * [I_x(a, b), 1 - I_x(a, b)] with y = 1 - x supplied by the caller, so that whichever of x, y is
 * tiny keeps full precision. Large a with small b (t tails at large df) goes to BGRAT once
 * (a + b) y > (b + 1) / 2, where the continued fraction loses ~log10(a) digits; otherwise the
 * continued fraction.
 */
function incBeta(a: number, b: number, x: number, y: number): [number, number] {
  if (x <= 0) return [0, 1];
  if (y <= 0) return [1, 0];
  if (a <= 1 && b >= 15) {
    const [lower, upper] = incBeta(b, a, y, x);
    return [upper, lower];
  }
  if (b <= 1 && a >= 15 && y < 0.29 && (a + b) * y > (b + 1) / 2) {
    const value = bgrat(a, b, y);
    return [value, 1 - value];
  }
  return cfBeta(a, b, x, y);
}

/** [1 / (1 + r), r / (1 + r)] for r = num / den, without overflow when num is huge or infinite. */
function splitRatio(num: number, den: number): [number, number] {
  if (num > den) {
    const s = den / num;
    return [s / (1 + s), 1 / (1 + s)];
  }
  const r = num / den;
  return [1 / (1 + r), r / (1 + r)];
}

/**
 * Regularized incomplete beta I_x(a, b) = B(x; a, b) / B(a, b) for a, b > 0 and 0 <= x <= 1:
 * continued fraction with the symmetry switch I_x(a, b) = 1 - I_{1-x}(b, a) at
 * x = (a + 1) / (a + b + 2) (see: Numerical Recipes 3rd ed. 6.4 betacf, modified Lentz), and
 * DiDonato & Morris's BGRAT expansion for a >= 15, b <= 1 near x = 1 (see: ACM TOMS 708).
 */
export function regIncBeta(a: number, b: number, x: number): number {
  if (!(a > 0 && b > 0 && x >= 0 && x <= 1) || !Number.isFinite(a + b)) return Number.NaN;
  return incBeta(a, b, x, 1 - x)[0];
}

/** ln(x^a e^-x / Gamma(a)); for a >= 10 Stirling's form a (ln u - (u - 1)) with u = x / a,
 * so the error scales with |x - a| rather than with a ln x. */
function logGammaPrefactor(a: number, x: number): number {
  if (a < 10) return a * Math.log(x) - x - lgamma(a);
  const v = (x - a) / a;
  const logU = v < -0.5 ? Math.log(x / a) : Math.log1p(v);
  return a * (logU - v) + 0.5 * Math.log(a) - LN_SQRT_2PI - lgammaCorr(a);
}

/** Legendre's continued fraction for Q(a, x) x^-a e^x Gamma(a), converging for x > a + 1
 * (see: Numerical Recipes 3rd ed. 6.2 gcf, modified Lentz). */
function gammaCf(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITER; i++) {
    b += 2;
    [c, d] = lentz(c, d, -i * (i - a), b);
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/** [P(a, x), Q(a, x)]: series for x < a + 1, else Legendre's continued fraction for Q
 * (see: Numerical Recipes 3rd ed. 6.2 gser / gcf, modified Lentz). */
function incGamma(a: number, x: number): [number, number] {
  if (x === 0) return [0, 1];
  if (x === Number.POSITIVE_INFINITY) return [1, 0];
  const pre = Math.exp(logGammaPrefactor(a, x));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n <= MAX_ITER && Math.abs(term) >= Math.abs(sum) * EPS; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return [sum * pre, 1 - sum * pre];
  }
  const h = gammaCf(a, x);
  return [1 - pre * h, pre * h];
}

function validGamma(a: number, x: number): boolean {
  return a > 0 && a < Number.POSITIVE_INFINITY && x >= 0;
}

/** Regularized lower incomplete gamma P(a, x) = gamma(a, x) / Gamma(a), a > 0, x >= 0
 * (see: Numerical Recipes 3rd ed. 6.2, series / continued fraction). */
export function regGammaP(a: number, x: number): number {
  return validGamma(a, x) ? incGamma(a, x)[0] : Number.NaN;
}

/** Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x), computed directly in the upper tail
 * (see: Numerical Recipes 3rd ed. 6.2, series / continued fraction). */
export function regGammaQ(a: number, x: number): number {
  return validGamma(a, x) ? incGamma(a, x)[1] : Number.NaN;
}

/** [P(T <= t), P(T > t)]; P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2) (see: A&S 26.7.1, 26.5.27). */
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
 * df^(df/2-1) q^-df / B(df/2, 1/2) below that. Refinement: Hill's (1981) second-order Taylor
 * (Halley-type) step q += dx (1 + dx q (df + 1) / (2 (q^2 + df))), dx = (P(T > q) - tail) / f(q),
 * kept inside a bisection bracket; near the centre the residual is formed from the central
 * probability |p - 1/2| so quantiles close to 0 keep their relative accuracy.
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
