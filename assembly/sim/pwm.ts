// Binding occupancy of a position weight matrix on base-code sequences (the deep_mr_sim DGP,
// src/sim/deep-mr-pwm.ts). Scalar only: each window is a K-term gather-sum feeding an exp, with
// nothing contiguous for SIMD lanes to share.

/**
 * For each of n sequences (bytes, row-major n x L, codes 0..3 = A, C, G, T) writes to out[i]
 * q = 1 - prod_t (1 - s_t), s_t = 1 / (1 + exp(-S_t)), S_t = sum_k llr[k, x[t + k]] over the
 * forward-strand windows t = 0 .. L - K (Zhao and Stormo's quasi-sigmoid occupancy). llr is
 * K x 4 doubles, row-major (llr[4 k + b]). Codes must lie in 0..3 (checked by the caller).
 * Returns 0, or -1 when K is not in 1..L.
 */
export function pwm_occupancy(n: i32, L: i32, seqs: usize, K: i32, llr: usize, out: usize): i32 {
  if (K < 1 || K > L) return -1;
  for (let i = 0; i < n; i++) {
    const row = seqs + <usize>i * <usize>L;
    let keep = 1.0;
    for (let t = 0; t <= L - K; t++) {
      let score = 0.0;
      for (let k = 0; k < K; k++) {
        const b = <usize>load<u8>(row + <usize>(t + k));
        score += load<f64>(llr + ((<usize>k * 4 + b) << 3));
      }
      keep *= 1.0 - 1.0 / (1.0 + Math.exp(-score));
    }
    store<f64>(out + ((<usize>i) << 3), 1.0 - keep);
  }
  return 0;
}
