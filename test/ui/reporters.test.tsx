import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import type { SweepEvent } from "../../src/sweep/events.js";
import { LineReporter } from "../../src/ui/line-reporter.js";
import { Progress } from "../../src/ui/progress.js";
import { SweepView } from "../../src/ui/sweep-view.js";

const events: SweepEvent[] = [
  {
    type: "start",
    run: "results/quick",
    total: 8,
    resumed: 2,
    threads: 2,
    cells: [
      { id: "c001", label: "n=1000 context=false", tasks: 4, done: 2 },
      { id: "c002", label: "n=1000 context=true", tasks: 4, done: 0 },
    ],
  },
  { type: "task-start", cell: 0, replicate: 3 },
  { type: "task-start", cell: 1, replicate: 1 },
  { type: "task", cell: 0, replicate: 3, failed: 0, seconds: 0.2 },
  { type: "failure", cellId: "c002", replicate: 1, seed: 99, estimator: "tsls", message: "boom" },
  { type: "task", cell: 1, replicate: 1, failed: 1, seconds: 0.1 },
  { type: "task-start", cell: 0, replicate: 4 },
  { type: "task", cell: 0, replicate: 4, failed: 0, seconds: 0.2 },
  { type: "cell-done", cell: 0 },
];

describe("Ink reporter view", () => {
  it("shows the bar, counts, rate, cells in flight and failures", () => {
    const state = new Progress();
    for (const e of events.slice(0, 6)) state.apply(e);
    const { lastFrame } = render(<SweepView state={state} />);
    const frame = lastFrame() ?? "";
    expect(frame).toMatch(/mrsweep sweep results\/quick · 2 threads/);
    expect(frame).toMatch(/4\/8 \(50\.0%\)/);
    expect(frame).toMatch(/replicates\/s/);
    expect(frame).toMatch(/resumed 2/);
    expect(frame).toMatch(/failures: 1/);
    expect(frame).toMatch(/c002 replicate 1 \(seed 99\) tsls: boom/);
    expect(frame).toMatch(/█/);
  });

  it("lists the cells with tasks running", () => {
    const state = new Progress();
    for (const e of events.slice(0, 3)) state.apply(e);
    const frame = render(<SweepView state={state} />).lastFrame() ?? "";
    expect(frame).toMatch(/cells in flight/);
    expect(frame).toMatch(/c001 n=1000 context=false .* 2\/4 · 1 running/);
  });
});

describe("line reporter", () => {
  it("prints a start line, finished cells, failures and the end", () => {
    const lines: string[] = [];
    const r = new LineReporter((l) => lines.push(l), 0);
    for (const e of events) r.onEvent(e);
    r.onEvent({ type: "end", status: "complete", done: 8, total: 8, failures: 1, seconds: 3, dir: "results/quick" });
    expect(lines[0]).toBe("sweep: results/quick: 8 tasks in 2 cells on 2 threads (2 already done, resuming)");
    expect(lines).toContain("cell c001 done (n=1000 context=false): 5/8 tasks");
    expect(lines).toContain("failure: cell c002 replicate 1 seed 99 tsls: boom");
    expect(lines.some((l) => /^progress: \d+\/8 tasks/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe("sweep complete: 8/8 tasks, 1 failed, 0:03; results in results/quick");
  });
});
