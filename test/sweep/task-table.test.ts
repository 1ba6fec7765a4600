import { describe, expect, it } from "vitest";
import { TaskTable } from "../../src/sweep/task-table.js";

describe("TaskTable", () => {
  it("gives finished tasks in canonical order (cell, then replicate, as numbers) whatever order they finished in", () => {
    const table = new TaskTable(11, 100);
    const finished: Array<[number, number]> = [
      [10, 2],
      [2, 10],
      [2, 9],
      [0, 100],
      [10, 1],
      [0, 11],
    ];
    for (const [cell, replicate] of finished) {
      table.set(cell, replicate, `${cell}:${replicate}\n`, Float64Array.of(cell, replicate));
    }
    expect(table.text()).toBe("0:11\n0:100\n2:9\n2:10\n10:1\n10:2\n");
    expect([...table.finished()].map((t) => [t.cell, ...t.numbers])).toEqual([
      [0, 0, 11],
      [0, 0, 100],
      [2, 2, 9],
      [2, 2, 10],
      [10, 10, 1],
      [10, 10, 2],
    ]);
  });

  it("counts each task once, per cell and in all, and refuses tasks outside the plan", () => {
    const table = new TaskTable(3, 4);
    table.set(1, 4, "a\n", new Float64Array(1));
    table.set(1, 4, "b\n", new Float64Array(1));
    table.set(2, 1, "c\n", new Float64Array(1));
    expect([table.size, table.doneIn(0), table.doneIn(1), table.doneIn(2)]).toEqual([2, 0, 1, 1]);
    expect(table.has(1, 4)).toBe(true);
    expect(table.has(1, 3)).toBe(false);
    expect(table.text()).toBe("b\nc\n");
    expect(table.inPlan(3, 1)).toBe(false);
    expect(table.inPlan(0, 0)).toBe(false);
    expect(table.inPlan(0, 5)).toBe(false);
    expect(() => table.set(0, 5, "x\n", new Float64Array(1))).toThrow(/outside the plan/);
  });
});
