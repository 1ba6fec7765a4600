import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import type { SweepEvent } from "../../src/sweep/events.js";
import { LineReporter } from "../../src/ui/line-reporter.js";
import { formatRate, Progress } from "../../src/ui/progress.js";
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

describe("the screen's honesty", () => {
  it("stops the clock at the end, shows what runs after the tasks, and honours NO_COLOR", () => {
    let now = 0;
    const state = new Progress(() => now);
    for (const e of events) {
      now += 1000;
      state.apply(e);
    }
    now += 1000;
    state.apply({ type: "end", status: "complete", done: 8, total: 8, failures: 1, seconds: 10, dir: "results/quick" });
    state.apply({ type: "phase", text: "writing figures and report.html..." });
    now += 60_000;
    expect(state.elapsed).toBe(10);
    expect(state.eta).toBe(0);
    const saved = process.env.NO_COLOR;
    try {
      process.env.NO_COLOR = "1";
      const plain = render(<SweepView state={state} />).lastFrame() ?? "";
      expect(plain).toMatch(/writing figures and report\.html\.\.\./);
      expect(plain).toMatch(/elapsed 0:10/);
      expect(plain.includes("\u001b[3")).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
  });

  it("weighs the tasks left by their cells' cost, not by their count", () => {
    let now = 0;
    const state = new Progress(() => now);
    state.apply({
      type: "start",
      run: "r",
      total: 20,
      resumed: 0,
      threads: 1,
      cells: [
        { id: "c001", label: "cheap", tasks: 10, done: 0 },
        { id: "c002", label: "dear", tasks: 10, done: 0 },
      ],
    });
    // One thread, cheap tasks 0.1 s and dear ones 0.9 s, interleaved: after 2 of each, 2 s have
    // passed and 8 cheap plus 8 dear tasks (8 s of work) are left.
    for (let k = 0; k < 2; k++) {
      for (const [cell, s] of [
        [0, 0.1],
        [1, 0.9],
      ] as const) {
        state.apply({ type: "task-start", cell, replicate: k + 1 });
        now += s * 1000;
        state.apply({ type: "task", cell, replicate: k + 1, failed: 0, seconds: s });
      }
    }
    expect(state.eta).toBeCloseTo(8, 6);
  });
});

describe("rates", () => {
  it("read at any speed: per second, else per minute, else per hour (slow inv_repr sweeps are not 0.0/s)", () => {
    expect(formatRate(411.25, "tasks")).toBe("411.3 tasks/s");
    expect(formatRate(0, "tasks")).toBe("0.0 tasks/s");
    expect(formatRate(0.05, "tasks")).toBe("3.0 tasks/min");
    expect(formatRate(2 / 3600, "replicates")).toBe("2.0 replicates/h");
  });

  it("the line reporter counts fit pieces (λ runs) as they come back, so a slow sweep is seen to move", () => {
    const lines: string[] = [];
    const r = new LineReporter((l) => lines.push(l), 0);
    r.onEvent({
      type: "start",
      run: "x",
      total: 2,
      resumed: 0,
      threads: 2,
      cells: [{ id: "c001", label: "", tasks: 2, done: 0 }],
    });
    r.onEvent({ type: "task-start", cell: 0, replicate: 1 });
    r.onEvent({ type: "part", cell: 0, replicate: 1 });
    r.onEvent({ type: "part", cell: 0, replicate: 1 });
    expect(lines.at(-1)).toMatch(/^progress: 0\/2 tasks .*, 2 fit pieces done$/);
  });
});
