// Column statistics and standardised row blocks of a column-major matrix read where it lies, so
// that a model of standardised X needs no n x p copy (src/estimators/lasso-design.ts). X is n x p
// with leading dimension ldx.

/** Sum of x[i] - c over n values (two lanes, then the odd last value). */
function sumShifted(n: i32, x: usize, c: f64): f64 {
  const vc = f64x2.splat(c);
  let a = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) a = f64x2.add(a, f64x2.sub(v128.load(x + ((<usize>i) << 3)), vc));
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  if (i < n) s += load<f64>(x + ((<usize>i) << 3)) - c;
  return s;
}

/** Sum of ((x[i] - c) - r)^2 over n values (two lanes, then the odd last value). */
function sumSquaresShifted(n: i32, x: usize, c: f64, r: f64): f64 {
  const vc = f64x2.splat(c);
  const vr = f64x2.splat(r);
  let a = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const d = f64x2.sub(f64x2.sub(v128.load(x + ((<usize>i) << 3)), vc), vr);
    a = f64x2.add(a, f64x2.mul(d, d));
  }
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  if (i < n) {
    const d = load<f64>(x + ((<usize>i) << 3)) - c - r;
    s += d * d;
  }
  return s;
}

/**
 * Column means and centred sums of squares, X left unchanged: the mean as `center` makes it
 * (m = sum / n, refined by r = sum(x - m) / n) and ss = sum((x - m) - r)^2, the squared norm of the
 * column `center` would leave. For n = 0 both are 0.
 */
export function column_stats(n: i32, p: i32, x: usize, ldx: i32, means: usize, ss: usize): void {
  const col = (<usize>ldx) << 3;
  for (let j = 0; j < p; j++) {
    const a = x + <usize>j * col;
    const m = n > 0 ? sumShifted(n, a, 0) / <f64>n : 0.0;
    const r = n > 0 ? sumShifted(n, a, m) / <f64>n : 0.0;
    store<f64>(means + ((<usize>j) << 3), m + r);
    store<f64>(ss + ((<usize>j) << 3), sumSquaresShifted(n, a, m, r));
  }
}

/** Scalar twin of `column_stats` (one accumulator, so sums differ from it by rounding). */
export function column_stats_scalar(n: i32, p: i32, x: usize, ldx: i32, means: usize, ss: usize): void {
  const col = (<usize>ldx) << 3;
  for (let j = 0; j < p; j++) {
    const a = x + <usize>j * col;
    let s = 0.0;
    for (let i = 0; i < n; i++) s += load<f64>(a + ((<usize>i) << 3));
    const m = n > 0 ? s / <f64>n : 0.0;
    s = 0.0;
    for (let i = 0; i < n; i++) s += load<f64>(a + ((<usize>i) << 3)) - m;
    const r = n > 0 ? s / <f64>n : 0.0;
    s = 0.0;
    for (let i = 0; i < n; i++) {
      const d = load<f64>(a + ((<usize>i) << 3)) - m - r;
      s += d * d;
    }
    store<f64>(means + ((<usize>j) << 3), m + r);
    store<f64>(ss + ((<usize>j) << 3), s);
  }
}

/**
 * out[i, j] = (X[i, j] - means[j]) * scales[j] for the m rows from X's pointer `x` (already at the
 * block's first row), p columns; out is m x p with leading dimension m.
 */
export function scaled_rows(m: i32, p: i32, x: usize, ldx: i32, means: usize, scales: usize, out: usize): void {
  const col = (<usize>ldx) << 3;
  for (let j = 0; j < p; j++) {
    const a = x + <usize>j * col;
    const o = out + ((<usize>j * <usize>m) << 3);
    const c = load<f64>(means + ((<usize>j) << 3));
    const k = load<f64>(scales + ((<usize>j) << 3));
    const vc = f64x2.splat(c);
    const vk = f64x2.splat(k);
    let i = 0;
    for (; i + 2 <= m; i += 2) {
      const at = (<usize>i) << 3;
      v128.store(o + at, f64x2.mul(f64x2.sub(v128.load(a + at), vc), vk));
    }
    if (i < m) store<f64>(o + ((<usize>i) << 3), (load<f64>(a + ((<usize>i) << 3)) - c) * k);
  }
}

/** Scalar twin of `scaled_rows` (bitwise equal: one subtraction and one product per element). */
export function scaled_rows_scalar(m: i32, p: i32, x: usize, ldx: i32, means: usize, scales: usize, out: usize): void {
  const col = (<usize>ldx) << 3;
  for (let j = 0; j < p; j++) {
    const a = x + <usize>j * col;
    const o = out + ((<usize>j * <usize>m) << 3);
    const c = load<f64>(means + ((<usize>j) << 3));
    const k = load<f64>(scales + ((<usize>j) << 3));
    for (let i = 0; i < m; i++) store<f64>(o + ((<usize>i) << 3), (load<f64>(a + ((<usize>i) << 3)) - c) * k);
  }
}
