// Per-row steps of the invariance DGP's mixing functions (src/sim/invariance-mix.ts) on
// column-major matrices; the dense layers between them are gemv_n calls. Scalar only: products
// and comparisons, no reductions worth a SIMD twin.

/**
 * The monomials of the d columns of u (n x d, column-major) of degree 0 .. degree (at most 3),
 * written to out (n x dz, column-major): the constant first, then by degree, and within a degree
 * in lexicographic order of non-decreasing index tuples (i <= j <= k), as
 * itertools.combinations_with_replacement. A degree-3 monomial is (u_i u_j) u_k. Returns dz, or
 * -1 for a degree outside 0..3.
 */
export function mix_monomials(n: i32, d: i32, degree: i32, u: usize, out: usize): i32 {
  if (degree < 0 || degree > 3) return -1;
  const col = (<usize>n) << 3;
  let c = 0;
  for (let i = 0; i < n; i++) store<f64>(out + ((<usize>i) << 3), 1.0);
  c++;
  if (degree >= 1) {
    for (let a = 0; a < d; a++) {
      memory.copy(out + <usize>c * col, u + <usize>a * col, col);
      c++;
    }
  }
  if (degree >= 2) {
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++) {
        product(n, u + <usize>a * col, u + <usize>b * col, out + <usize>c * col);
        c++;
      }
    }
  }
  if (degree >= 3) {
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++) {
        const ab = out + <usize>(1 + d + pairIndex(d, a, b)) * col;
        for (let k = b; k < d; k++) {
          product(n, ab, u + <usize>k * col, out + <usize>c * col);
          c++;
        }
      }
    }
  }
  return c;
}

/** The position of the pair (a, b), a <= b, among the degree-2 monomials of d variables. */
function pairIndex(d: i32, a: i32, b: i32): i32 {
  // Pairs before row a: d + (d - 1) + ... + (d - a + 1) = a d - a (a - 1) / 2.
  return a * d - (a * (a - 1)) / 2 + (b - a);
}

/** out[i] = x[i] y[i] for n values. */
function product(n: i32, x: usize, y: usize, out: usize): void {
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    store<f64>(out + o, load<f64>(x + o) * load<f64>(y + o));
  }
}

/** x[i] = x[i] if x[i] >= 0, else slope x[i], for the len values at x (torch's LeakyReLU). */
export function mix_leaky_relu(len: i32, x: usize, slope: f64): void {
  for (let i = 0; i < len; i++) {
    const p = x + ((<usize>i) << 3);
    const v = load<f64>(p);
    if (v < 0) store<f64>(p, slope * v);
  }
}

/**
 * The index (0, 1 or 2) of the largest of each consecutive triple of columns of x (n x 3g,
 * column-major) into out (n x g): column t of out is argmax over x's columns 3t, 3t + 1, 3t + 2,
 * the first on ties (torch.argmax).
 */
export function mix_argmax3(n: i32, g: i32, x: usize, out: usize): void {
  const col = (<usize>n) << 3;
  for (let t = 0; t < g; t++) {
    const c0 = x + <usize>(3 * t) * col;
    const c1 = c0 + col;
    const c2 = c1 + col;
    const dst = out + <usize>t * col;
    for (let i = 0; i < n; i++) {
      const o = (<usize>i) << 3;
      const a = load<f64>(c0 + o);
      const b = load<f64>(c1 + o);
      const c = load<f64>(c2 + o);
      let best = 0.0;
      let top = a;
      if (b > top) {
        best = 1.0;
        top = b;
      }
      if (c > top) best = 2.0;
      store<f64>(dst + o, best);
    }
  }
}
