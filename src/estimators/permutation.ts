/** Fisher-Yates permutation of 0..n-1, drawing `rand()` in [0, 1) once per step from the end. */
export function permutation(n: number, rand: () => number): Int32Array {
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = perm[i] as number;
    perm[i] = perm[j] as number;
    perm[j] = t;
  }
  return perm;
}
