/**
 * Per-round metrics of Deep MR (specification section 7) that need the round's per-sequence
 * results: local CI coverage (matched, and in the authors' alignment) and whether a band or an
 * interval contains a truth. Shares over rounds (band coverage, accuracy) are the caller's.
 */

/** A local interval of one sequence, and that sequence's true local effect (NaN when it has none). */
export interface LocalInterval {
  ci_lower: number;
  ci_upper: number;
  truth: number;
}

/** A share with its count: `covered / n`, NaN when n = 0. */
export interface Coverage {
  covered: number;
  n: number;
  share: number;
}

function share(covered: number, n: number): Coverage {
  return { covered, n, share: n > 0 ? covered / n : Number.NaN };
}

/** Whether [lower, upper] contains x (closed, as R's `truth >= lo & truth <= hi`). */
export function contains(lower: number, upper: number, x: number): boolean {
  return lower <= x && x <= upper;
}

/** Whether center -/+ halfWidth contains x: the band TE -/+ 2 tau, or the naive band mean -/+ 2 SD. */
export function bandContains(center: number, halfWidth: number, x: number): boolean {
  return contains(center - halfWidth, center + halfWidth, x);
}

/**
 * Local CI coverage matched sequence by sequence: the share of fitted sequences with a truth
 * (only both-motif sequences have one) whose CI contains it.
 */
export function localCoverageMatched(locals: readonly LocalInterval[]): Coverage {
  let covered = 0;
  let n = 0;
  for (const l of locals) {
    if (Number.isNaN(l.truth)) continue;
    n++;
    if (contains(l.ci_lower, l.ci_upper, l.truth)) covered++;
  }
  return share(covered, n);
}

/**
 * Local CI coverage in the authors' alignment (their R: `cis$true_val <- true_ces$CI[seq_len(nrow(cis))]`,
 * then rows with an NA truth removed): the i-th fitted CI (fitted sequences after drops, in order)
 * against the i-th entry of the truth list (the sequences that have one, in order, fitted or not);
 * CIs beyond the list's end, or paired with a NaN entry, are left out. This pairs unrelated
 * sequences; it is reported for comparison only.
 */
export function localCoverageAuthors(
  intervals: readonly { ci_lower: number; ci_upper: number }[],
  truths: readonly number[],
): Coverage {
  let covered = 0;
  let n = 0;
  for (let i = 0; i < intervals.length && i < truths.length; i++) {
    const truth = truths[i] as number;
    if (Number.isNaN(truth)) continue;
    n++;
    const ci = intervals[i] as { ci_lower: number; ci_upper: number };
    if (contains(ci.ci_lower, ci.ci_upper, truth)) covered++;
  }
  return share(covered, n);
}
