// Polynomial features: every monomial of the n inputs of a row up to degree d, in the order of
// sklearn.preprocessing.PolynomialFeatures(degree=d, include_bias=...): by degree, and within a
// degree the index tuples i1 <= i2 <= ... in lexicographic order (itertools.combinations_with_
// replacement). For n = 3, d = 2: [1,] x0, x1, x2, x0², x0x1, x0x2, x1², x1x2, x2².
// F = C(n + d, d) features with the constant 1, one fewer without.
// The degree-k block is built from the degree-(k-1) block as sklearn's dense path does: for each j,
// x_j times the degree-(k-1) terms whose first index is >= j (the last C(n - j + k - 2, k - 1)).
// Backward runs that recursion in reverse, so no division by x (exact at x = 0).
// Descriptor (i32): [0] dtype (0 f64, 1 f32), [1] B, [2] n, [3] d (>= 1), [4] include_bias (0/1).
// Input B x n, output B x F, row-major. Backward needs the forward's output and a work buffer of
// F elements of the dtype (`nn_polynomial_out_size`).
// see: sklearn/preprocessing/_polynomial.py (PolynomialFeatures.transform, dense case)

/** Byte offset of element i of a T buffer. */
function at<T>(i: i32): usize {
  return (<usize>i) << alignof<T>();
}

function field(desc: usize, i: i32): i32 {
  return load<i32>(desc + ((<usize>i) << 2));
}

/** Monomials of degree exactly k in m variables: C(m + k - 1, k). */
function count(m: i32, k: i32): i32 {
  let r: i64 = 1;
  for (let i = 1; i <= k; i++) r = (r * <i64>(m - 1 + i)) / i;
  return <i32>r;
}

/** Number of output features F: C(n + d, d), minus 1 without the bias column. */
export function nn_polynomial_out_size(desc: usize): i32 {
  const n = field(desc, 2);
  const d = field(desc, 3);
  let f = field(desc, 4) == 1 ? 1 : 0;
  for (let k = 1; k <= d; k++) f += count(n, k);
  return f;
}

function forward<T>(desc: usize, inp: usize, out: usize): void {
  const rows = field(desc, 1);
  const n = field(desc, 2);
  const d = field(desc, 3);
  const bias = field(desc, 4) == 1 ? 1 : 0;
  const f = nn_polynomial_out_size(desc);
  for (let r = 0; r < rows; r++) {
    const x = inp + at<T>(r * n);
    const o = out + at<T>(r * f);
    if (bias) store<T>(o, <T>1);
    for (let j = 0; j < n; j++) store<T>(o + at<T>(bias + j), load<T>(x + at<T>(j)));
    let prev = bias;
    let pos = bias + n;
    for (let k = 2; k <= d; k++) {
      const prevEnd = pos;
      const prevSize = count(n, k - 1);
      for (let j = 0; j < n; j++) {
        const xj = load<T>(x + at<T>(j));
        for (let t = prev + prevSize - count(n - j, k - 1); t < prevEnd; t++) {
          store<T>(o + at<T>(pos++), xj * load<T>(o + at<T>(t)));
        }
      }
      prev = prevEnd;
    }
  }
}

function backward<T>(desc: usize, inp: usize, out: usize, dout: usize, din: usize, work: usize): void {
  const rows = field(desc, 1);
  const n = field(desc, 2);
  const d = field(desc, 3);
  const bias = field(desc, 4) == 1 ? 1 : 0;
  const f = nn_polynomial_out_size(desc);
  for (let r = 0; r < rows; r++) {
    const x = inp + at<T>(r * n);
    const o = out + at<T>(r * f);
    const dx = din + at<T>(r * n);
    memory.copy(work, dout + at<T>(r * f), at<T>(f));
    // Blocks from the highest degree down: block k's gradients flow into block k - 1 and into x.
    let start = f;
    for (let k = d; k >= 2; k--) {
      start -= count(n, k);
      const prevSize = count(n, k - 1);
      const prev = start - prevSize;
      let pos = start;
      for (let j = 0; j < n; j++) {
        const xj = load<T>(x + at<T>(j));
        let gj: T = <T>0;
        for (let t = prev + prevSize - count(n - j, k - 1); t < start; t++) {
          const g = load<T>(work + at<T>(pos++));
          gj += g * load<T>(o + at<T>(t));
          store<T>(work + at<T>(t), load<T>(work + at<T>(t)) + g * xj);
        }
        store<T>(dx + at<T>(j), load<T>(dx + at<T>(j)) + gj);
      }
    }
    for (let j = 0; j < n; j++) {
      store<T>(dx + at<T>(j), load<T>(dx + at<T>(j)) + load<T>(work + at<T>(bias + j)));
    }
  }
}

/** Writes the F monomial features of each row of `inp` (B x n) to `out` (B x F). */
export function nn_polynomial_forward(desc: usize, inp: usize, out: usize): void {
  if (load<i32>(desc) == 1) forward<f32>(desc, inp, out);
  else forward<f64>(desc, inp, out);
}

/**
 * ADDS dLoss/din to `din` (B x n), given the forward's `out` and dout = dLoss/dout (B x F, left
 * unchanged); `work` holds F elements of the dtype.
 */
export function nn_polynomial_backward(
  desc: usize,
  inp: usize,
  out: usize,
  dout: usize,
  din: usize,
  work: usize,
): void {
  if (load<i32>(desc) == 1) backward<f32>(desc, inp, out, dout, din, work);
  else backward<f64>(desc, inp, out, dout, din, work);
}
