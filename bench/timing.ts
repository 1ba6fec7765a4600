/** Median seconds per call of `fn`, from 7 batches each long enough (>= 40 ms) to time reliably. */
export function timeIt(fn: () => unknown): number {
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    if (performance.now() - t0 >= 40) break;
    reps *= 2;
  }
  const samples: number[] = [];
  for (let b = 0; b < 7; b++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    samples.push((performance.now() - t0) / reps / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[3] as number;
}

/** Seconds as a short human string. */
export function fmtTime(s: number): string {
  if (s < 1e-3) return `${(s * 1e6).toFixed(1)} us`;
  if (s < 1) return `${(s * 1e3).toFixed(2)} ms`;
  return `${s.toFixed(2)} s`;
}

/**
 * Least seconds per call of `fn` over `runs` calls: on a shared machine the minimum of a call long
 * enough to time (an epoch) is the steadiest estimate of its cost, for comparisons within one run.
 */
export function minTime(fn: () => unknown, runs = 25): number {
  // warm-up calls, so that the engine's optimising compiler has the code before timing starts
  for (let i = 0; i < 5; i++) fn();
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best / 1000;
}
