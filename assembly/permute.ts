// Row permutations of column-major matrices (a gather: no arithmetic, so no SIMD twin).

/**
 * out[i, j] = X[perm[i], j] for X n x p with leading dimension ldx; perm holds n u32 row indices,
 * each below n (the caller builds them); out is n x p with leading dimension n.
 */
export function gather_rows(n: i32, p: i32, x: usize, ldx: i32, perm: usize, out: usize): void {
  for (let j = 0; j < p; j++) {
    const src = x + ((<usize>j * <usize>ldx) << 3);
    const dst = out + ((<usize>j * <usize>n) << 3);
    for (let i = 0; i < n; i++) {
      const r = <usize>load<u32>(perm + ((<usize>i) << 2));
      store<f64>(dst + ((<usize>i) << 3), load<f64>(src + (r << 3)));
    }
  }
}
