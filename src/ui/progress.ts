import type { SweepEvent } from "../sweep/events.js";

/** Progress state derived from sweep events; shared by the Ink and the line reporters. */
export class Progress {
  total = 0;
  done = 0;
  resumed = 0;
  failures = 0;
  threads = 0;
  run = "";
  readonly started = Date.now();
  cells: Array<{ id: string; label: string; tasks: number; done: number; running: number }> = [];
  recentFailures: Array<{ cellId: string; replicate: number; seed: number; estimator: string; message: string }> = [];
  stopping: string | null = null;
  /** Notes about the run folder (a stale lock taken over, an extension, rows dropped on resume). */
  notes: string[] = [];
  busySeconds = 0;

  /** Updates the state; returns the event for chaining. */
  apply(e: SweepEvent): SweepEvent {
    switch (e.type) {
      case "start":
        this.total = e.total;
        this.done = e.resumed;
        this.resumed = e.resumed;
        this.threads = e.threads;
        this.run = e.run;
        this.cells = e.cells.map((c) => ({ ...c, running: 0 }));
        break;
      case "task-start":
        (this.cells[e.cell] as { running: number }).running++;
        break;
      case "task": {
        const c = this.cells[e.cell] as { running: number; done: number };
        c.running--;
        c.done++;
        this.done++;
        this.busySeconds += e.seconds;
        break;
      }
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
      default:
        break;
    }
    return e;
  }

  /** Seconds since the reporter started. */
  get elapsed(): number {
    return (Date.now() - this.started) / 1000;
  }

  /** Tasks per second in this session (resumed tasks excluded). */
  get rate(): number {
    return this.elapsed > 0 ? (this.done - this.resumed) / this.elapsed : 0;
  }

  /** Seconds to go at the current rate. */
  get eta(): number {
    return this.rate > 0 ? (this.total - this.done) / this.rate : Number.NaN;
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
