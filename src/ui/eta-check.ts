import type { SweepEvent } from "../sweep/events.js";
import { Progress } from "./progress.js";

/** A sweep event with the time (ms from the reporter's start) it reached the reporter. */
export interface TimedEvent {
  t: number;
  e: SweepEvent;
}

/** How the ETA did over a recorded run: the worst relative error from a given share of tasks on. */
export interface EtaAccuracy {
  /** Checks made (one per finished task past `from`, excluding the last). */
  checks: number;
  /** max |eta - true remaining| / max(true remaining, `floor`). */
  worst: number;
  /** The share of tasks done at the worst check. */
  worstAt: number;
  median: number;
}

/**
 * Replays recorded events into a Progress whose clock is the recording's, and compares its ETA
 * after every finished task (from `from` of the tasks done on) with the time that really remained
 * until the run's end event. The error is relative to the time remaining, but not to less than
 * `floor` seconds: the screen shows whole seconds, so in the last second an ETA 0.2 s off is 20%
 * off, not 200%.
 */
export function etaAccuracy(events: readonly TimedEvent[], from = 0.2, floor = 1): EtaAccuracy {
  let now = 0;
  const state = new Progress(() => now);
  const end = events.find((x) => x.e.type === "end")?.t;
  if (end === undefined) throw new Error("etaAccuracy: the recording has no end event");
  const errors: Array<[number, number]> = [];
  for (const { t, e } of events) {
    now = t;
    state.apply(e);
    if (e.type !== "task" || state.total === 0) continue;
    const share = state.done / state.total;
    if (share < from || state.done >= state.total) continue;
    const remaining = (end - t) / 1000;
    if (remaining > 0) errors.push([Math.abs(state.eta - remaining) / Math.max(remaining, floor), share]);
  }
  const sorted = errors.map(([r]) => r).sort((a, b) => a - b);
  const worst = errors.reduce((w, x) => (x[0] > w[0] ? x : w), [0, 0] as [number, number]);
  return {
    checks: errors.length,
    worst: worst[0],
    worstAt: worst[1],
    median: sorted[Math.floor(sorted.length / 2)] ?? 0,
  };
}
