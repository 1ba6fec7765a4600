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
/**
 * Fastest seconds per call of `fn` over 25 batches of at least ~2 ms (one call per batch when a
 * call is that long, e.g. an epoch), after 5 warm-up calls so that the optimising compiler has the
 * code: on a shared machine a batch is either undisturbed or preempted, so the minimum is the
 * uncontended speed. For comparisons within one run and throughput against a peak measured the
 * same way, not for end-to-end times.
 */
export function bestTime(fn: () => unknown): number {
  for (let i = 0; i < 5; i++) fn();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    if (performance.now() - t0 >= 2) break;
    reps *= 2;
  }
  let best = Number.POSITIVE_INFINITY;
  for (let b = 0; b < 25; b++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    best = Math.min(best, (performance.now() - t0) / reps / 1000);
  }
  return best;
}
