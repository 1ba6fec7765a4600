/**
 * The Deep MR authors' early stopping (deep-mr §4), as a pure step: after each epoch's validation
 * loss, a loss ≤ the best so far saves the weights and resets the patience to `patience`; any other
 * loss (NaN included) decrements it, and at 0 the best weights are restored and training stops.
 * After the last epoch the best weights are restored unless the last epoch was the best.
 */
export interface EarlyStop {
  /** The best validation loss so far (+Infinity before the first epoch). */
  best: number;
  /** The 0-based epoch that gave it (-1 before the first). */
  bestEpoch: number;
  /** Epochs left without improvement. */
  left: number;
}

/** What to do after one epoch. */
export interface EarlyStopAction {
  next: EarlyStop;
  /** Save the current weights as the best. */
  save: boolean;
  /** Restore the best weights and stop. */
  stop: boolean;
}

/** The state before the first epoch. */
export function earlyStopStart(patience: number): EarlyStop {
  return { best: Number.POSITIVE_INFINITY, bestEpoch: -1, left: patience };
}

/** One epoch's decision for validation loss `loss` at 0-based `epoch`. */
export function earlyStopStep(s: EarlyStop, epoch: number, loss: number, patience: number): EarlyStopAction {
  if (loss <= s.best) return { next: { best: loss, bestEpoch: epoch, left: patience }, save: true, stop: false };
  const left = s.left - 1;
  return { next: { ...s, left }, save: false, stop: left <= 0 };
}

/** Whether the weights must be restored once `epochs` epochs have all run without a stop: unless the last was the best. */
export function restoreAfterLast(s: EarlyStop, epochs: number): boolean {
  return s.bestEpoch !== epochs - 1;
}
