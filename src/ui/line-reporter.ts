import type { Reporter, SweepEvent } from "../sweep/events.js";
import { clock, formatRate, Progress } from "./progress.js";

/**
 * Plain lines for pipes and CI: one line per finished cell, one per failure, and a progress line
 * at most every `intervalMs`.
 */
export class LineReporter implements Reporter {
  private readonly state = new Progress();
  private lastLine = 0;

  constructor(
    private readonly write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
    private readonly intervalMs = 10_000,
  ) {}

  private progressLine(): string {
    const s = this.state;
    const pct = s.total > 0 ? ((100 * s.done) / s.total).toFixed(1) : "0.0";
    return `progress: ${s.done}/${s.total} tasks (${pct}%), ${formatRate(s.rate, "tasks")}, elapsed ${clock(s.elapsed)}, eta ${clock(s.eta)}, failures ${s.failures}${s.parts > 0 ? `, ${s.parts} fit pieces done` : ""}`;
  }

  onEvent(e: SweepEvent): void {
    this.state.apply(e);
    const s = this.state;
    if (e.type === "start") {
      this.write(
        `sweep: ${e.run}: ${e.total} tasks in ${e.cells.length} cells on ${e.threads} threads${e.resumed ? ` (${e.resumed} already done, resuming)` : ""}`,
      );
    } else if (e.type === "cell-done") {
      const c = s.cells[e.cell];
      this.write(`cell ${c?.id} done (${c?.label}): ${s.done}/${s.total} tasks`);
    } else if (e.type === "failure") {
      this.write(`failure: cell ${e.cellId} replicate ${e.replicate} seed ${e.seed} ${e.estimator}: ${e.message}`);
    } else if (e.type === "note") {
      this.write(`sweep: ${e.text}`);
    } else if (e.type === "stopping") {
      this.write(`stopping: ${e.reason}; finishing the tasks in flight`);
    } else if (e.type === "end") {
      this.write(
        `sweep ${e.status}: ${e.done}/${e.total} tasks, ${e.failures} failed, ${clock(e.seconds)}; results in ${e.dir}`,
      );
    } else if ((e.type === "task" || e.type === "part") && Date.now() - this.lastLine >= this.intervalMs) {
      this.lastLine = Date.now();
      this.write(this.progressLine());
    }
  }

  close(): void {}
}
