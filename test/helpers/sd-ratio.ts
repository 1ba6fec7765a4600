/** sd(a) / sd(b) over paired replicates, with its jackknife standard error. */
export function sdRatio(a: readonly number[], b: readonly number[]): { ratio: number; mcse: number } {
  const n = a.length;
  const moments = (xs: readonly number[]) => {
    let s = 0;
    let ss = 0;
    for (const x of xs) {
      s += x;
      ss += x * x;
    }
    return { s, ss };
  };
  const ma = moments(a);
  const mb = moments(b);
  const sd = (s: number, ss: number, m: number) => Math.sqrt((ss - (s * s) / m) / (m - 1));
  const ratio = sd(ma.s, ma.ss, n) / sd(mb.s, mb.ss, n);
  const loo: number[] = [];
  for (let i = 0; i < n; i++) {
    const ai = a[i] as number;
    const bi = b[i] as number;
    loo.push(sd(ma.s - ai, ma.ss - ai * ai, n - 1) / sd(mb.s - bi, mb.ss - bi * bi, n - 1));
  }
  const mean = loo.reduce((s, v) => s + v, 0) / n;
  const mcse = Math.sqrt(((n - 1) / n) * loo.reduce((s, v) => s + (v - mean) ** 2, 0));
  return { ratio, mcse };
}
