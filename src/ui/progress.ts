import type { SweepEvent } from "../sweep/events.js";

/** One cell's progress, and the fit time its finished tasks took in this session. */
export interface CellProgress {
  id: string;
  label: string;
  tasks: number;
  done: number;
  running: number;
  /** Tasks finished in this session (resumed ones excluded) and their summed fit seconds. */
  timed: number;
  seconds: number;
  /** A moving average of the cell's recent task costs (the first tasks pay for compiles). */
  cost: number;
}

/** Weight of a task's cost in its cell's moving average. */
const COST_WEIGHT = 0.1;

/**
 * Progress state derived from sweep events; shared by the Ink and the line reporters. The ETA
 * weighs what is left by what each cell's tasks have recently cost (cells differ by orders of
 * magnitude: n = 10,000 with a contextualized fit against n = 1000 with OLS), converted to wall
 * time at the rate work has been getting done lately, instead of assuming every task costs the
 * same and the first (compiling) tasks are typical.
 */
export class Progress {
  total = 0;
  done = 0;
  resumed = 0;
  failures = 0;
  threads = 0;
  run = "";
  readonly started: number;
  /** When the end event came (elapsed stops there). */
  ended: number | null = null;
  cells: CellProgress[] = [];
  recentFailures: Array<{ cellId: string; replicate: number; seed: number; estimator: string; message: string }> = [];
  stopping: string | null = null;
  /** What the run is doing after its tasks (e.g. writing figures). */
  phase: string | null = null;
  /** Notes about the run folder (a stale lock taken over, an extension, rows dropped on resume). */
  notes: string[] = [];
  busySeconds = 0;
  /** Pieces of tasks (inv_repr's λ runs) back from the workers. */
  parts = 0;
  /** (time, busy seconds so far) after each finished task, for the recent rate of work. */
  private readonly work: Array<[number, number]> = [];

  constructor(private readonly now: () => number = Date.now) {
    this.started = now();
  }

  /** Updates the state; returns the event for chaining. */
  apply(e: SweepEvent): SweepEvent {
    switch (e.type) {
      case "start":
        this.total = e.total;
        this.done = e.resumed;
        this.resumed = e.resumed;
        this.threads = e.threads;
        this.run = e.run;
        this.cells = e.cells.map((c) => ({ ...c, running: 0, timed: 0, seconds: 0, cost: Number.NaN }));
        break;
      case "task-start":
        (this.cells[e.cell] as CellProgress).running++;
        break;
      case "task": {
        const c = this.cells[e.cell] as CellProgress;
        c.running--;
        c.done++;
        c.timed++;
        c.seconds += e.seconds;
        c.cost = Number.isNaN(c.cost) ? e.seconds : c.cost + COST_WEIGHT * (e.seconds - c.cost);
        this.done++;
        this.busySeconds += e.seconds;
        this.work.push([this.now(), this.busySeconds]);
        break;
      }
      case "part":
        this.parts++;
        break;
      case "failure":
        this.failures++;
        this.recentFailures = [...this.recentFailures.slice(-4), e];
        break;
      case "stopping":
        this.stopping = e.reason;
        break;
      case "note":
        this.notes = [...this.notes, e.text];
        break;
      case "phase":
        this.phase = e.text;
        break;
      case "end":
        this.ended = this.now();
        break;
      default:
        break;
    }
    return e;
  }

  /** Seconds since the reporter started, up to the end of the run. */
  get elapsed(): number {
    return ((this.ended ?? this.now()) - this.started) / 1000;
  }

  /** Tasks per second in this session (resumed tasks excluded). */
  get rate(): number {
    return this.elapsed > 0 ? (this.done - this.resumed) / this.elapsed : 0;
  }

  /**
   * Seconds to go: the fit seconds the remaining tasks should cost (each cell's recent cost; a
   * cell not yet seen at the mean of the others), over the fit seconds done per wall second in the
   * recent window (the last 30% of the elapsed time, at least 2 s).
   */
  get eta(): number {
    if (this.ended !== null) return 0;
    const seen = this.cells.filter((c) => c.timed > 0);
    if (seen.length === 0) return Number.NaN;
    const mean = seen.reduce((s, c) => s + c.cost, 0) / seen.length;
    let left = 0;
    for (const c of this.cells) left += (c.tasks - c.done) * (c.timed > 0 ? c.cost : mean);
    const rate = this.recentWorkRate();
    return rate > 0 ? left / rate : Number.NaN;
  }

  /** Fit seconds done per wall second over the recent window. */
  private recentWorkRate(): number {
    const now = this.ended ?? this.now();
    const window = Math.max(2000, 0.3 * (now - this.started));
    let lo = 0;
    let hi = this.work.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.work[mid] as [number, number])[0] < now - window) lo = mid + 1;
      else hi = mid;
    }
    const [t0, w0] = lo > 0 ? (this.work[lo - 1] as [number, number]) : [this.started, 0];
    const span = (now - t0) / 1000;
    return span > 0 ? (this.busySeconds - w0) / span : 0;
  }

  /** Share of worker time spent fitting (busy seconds / (elapsed x threads)). */
  get utilization(): number {
    return this.elapsed > 0 && this.threads > 0 ? Math.min(1, this.busySeconds / (this.elapsed * this.threads)) : 0;
  }
}
/** Seconds as m:ss or h:mm:ss. */
export function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** A task rate readable at any speed: per second, or per minute or hour when slower than 0.1 per second. */
export function formatRate(perSecond: number, unit: string): string {
  if (perSecond >= 0.1 || perSecond === 0) return `${perSecond.toFixed(1)} ${unit}/s`;
  if (perSecond * 60 >= 0.1) return `${(perSecond * 60).toFixed(1)} ${unit}/min`;
  return `${(perSecond * 3600).toFixed(1)} ${unit}/h`;
}
