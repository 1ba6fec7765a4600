/** Mean, standard deviation (n - 1) and Monte Carlo standard error of the mean of `xs`. */
export function summarize(xs: readonly number[]): { mean: number; sd: number; mcse: number } {
  const n = xs.length;
  const mean = xs.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  return { mean, sd, mcse: sd / Math.sqrt(n) };
}

/** Throws unless |mean(xs) - target| <= k MCSE; the message gives the z-score. */
export function expectWithinMcse(xs: readonly number[], target: number, k: number, label: string): void {
  const { mean, mcse } = summarize(xs);
  const z = (mean - target) / mcse;
  if (!(Math.abs(z) <= k)) {
    throw new Error(`${label}: mean ${mean} is ${z.toFixed(2)} MCSE (${mcse}) from ${target}; allowed ${k}`);
  }
}
