import { type Instance, render } from "ink";
import type { Reporter, SweepEvent } from "../sweep/events.js";
import { Progress } from "./progress.js";
import { SweepView } from "./sweep-view.js";

/** The TTY reporter: re-renders the sweep screen on events and every second (elapsed, ETA). */
export class InkReporter implements Reporter {
  private readonly state = new Progress();
  private readonly instance: Instance;
  private readonly timer: NodeJS.Timeout;
  private last = 0;

  constructor() {
    this.instance = render(<SweepView state={this.state} />, { exitOnCtrlC: false, patchConsole: false });
    this.timer = setInterval(() => this.draw(), 1000);
  }

  private draw(): void {
    this.last = Date.now();
    this.instance.rerender(<SweepView state={this.state} />);
  }

  onEvent(e: SweepEvent): void {
    this.state.apply(e);
    // Redraw at most 10 times a second; the timer catches up with anything skipped.
    if (e.type !== "task" || Date.now() - this.last > 100) this.draw();
  }

  private closed = false;

  /** Draws the last state and gives the terminal back (once; later calls do nothing). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.draw();
    this.instance.unmount();
  }
}
