import { describe, expect, it } from "vitest";
import { getColumn } from "../../src/data/frame.js";
import { simulate } from "../../src/sim/simulate.js";
import { parseSweepConfig } from "../../src/sweep/config.js";
import { type Cell, cells, seedOf, sweepSetup, taskSeed } from "../../src/sweep/plan.js";
import { extraColumns, replicateColumns } from "../../src/sweep/replicates.js";
import { TaskInputs } from "../../src/sweep/task-inputs.js";

const CELL: Cell = { index: 0, id: "c1", values: { n: 200, L: 4 }, label: "n=200 L=4" };
const PLEIOTROPIC = { theta_sd: 0.05, theta_mean: 0.02 };

/** The datasets of replicates 1..5 of CELL, seeded as a sweep seeds them (run seed 2026). */
function replicates(params: Record<string, unknown>, rng = "seedrandom") {
  const out: ReturnType<typeof simulate>[] = [];
  for (let r = 1; r <= 5; r++) {
    out.push(simulate("study", { ...CELL.values, ...params, seed: taskSeed(2026, CELL, r) }, { rng }));
  }
  return out;
}

const column = (s: ReturnType<typeof simulate>, name: string) => Array.from(getColumn(s.data, name) as Float64Array);

describe("study DGP: pi_draw", () => {
  it('"cell" gives every replicate of a cell the same pi, MAFs and theta; people and noises still vary', () => {
    const sims = replicates({ pi_draw: "cell", design_seed: 3, ...PLEIOTROPIC });
    const first = sims[0] as ReturnType<typeof simulate>;
    for (const s of sims.slice(1)) {
      expect(s.meta.pi).toEqual(first.meta.pi);
      expect(s.meta.mafs).toEqual(first.meta.mafs);
      expect(s.meta.theta).toEqual(first.meta.theta);
      expect(column(s, "G0")).not.toEqual(column(first, "G0"));
      expect(column(s, "X")).not.toEqual(column(first, "X"));
    }
    expect(first.meta.pi_draw).toBe("cell");
  });

  it('"replicate" (the default) draws pi anew in every replicate', () => {
    const sims = replicates({});
    const pis = new Set(sims.map((s) => JSON.stringify(s.meta.pi)));
    expect(pis.size).toBe(sims.length);
    expect(sims[0]?.meta.pi_draw).toBe("replicate");
  });

  it("design_seed picks the design: another seed, another pi; the same seed in another cell, the same draws", () => {
    const a = simulate("study", { L: 4, n: 100, pi_draw: "cell", design_seed: 3, seed: 1 });
    const b = simulate("study", { L: 4, n: 100, pi_draw: "cell", design_seed: 4, seed: 1 });
    const bigger = simulate("study", { L: 4, n: 300, pi_scale: 0.2, pi_draw: "cell", design_seed: 3, seed: 9 });
    expect(b.meta.pi).not.toEqual(a.meta.pi);
    expect(bigger.meta.mafs).toEqual(a.meta.mafs);
    expect(bigger.meta.pi).toEqual((a.meta.pi as number[]).map((v) => 2 * v));
  });

  it("with --rng numpy the design is np.random.default_rng([design_seed, 1]): MAFs, then pi", () => {
    // numpy 2.4.6: r = np.random.default_rng([3, 1]); r.uniform(0.05, 0.5, 4); r.normal(0, 0.1, 4)
    const mafs = [0.1639638850326191, 0.23323873607689766, 0.20361541191760563, 0.24235041829940468];
    const pi = [0.0386307278822981, -0.021058696563385475, 0.013545361838210552, 0.20275274708943472];
    for (const s of replicates({ pi_draw: "cell", design_seed: 3 }, "numpy")) {
      expect(s.meta.mafs).toEqual(mafs);
      expect(s.meta.pi).toEqual(pi);
    }
  });

  it("in a sweep with a grid over design_seed: one design per cell, shared by its replicates", () => {
    const config = parseSweepConfig({
      dgp: "study",
      params: { n: 100, L: 3, pi_draw: "cell" },
      grid: { design_seed: [1, 2] },
      replicates: 4,
      estimators: ["tsls"],
      seed: 8,
    });
    const grid = cells(config);
    const inputs = new TaskInputs(sweepSetup(config, grid, extraColumns(replicateColumns(config))));
    const designs = grid.map((cell) => {
      const pis = new Set<string>();
      for (let r = 1; r <= config.replicates; r++) {
        const t = inputs.of({ cell: cell.index, replicate: r, seed: seedOf(config, cell, r) });
        pis.add(JSON.stringify(simulate("study", t.params, { rng: t.rng }).meta.pi));
      }
      return [...pis];
    });
    expect(designs.map((d) => d.length)).toEqual([1, 1]);
    expect(designs[0]).not.toEqual(designs[1]);
  });

  it("refuses an unknown pi_draw and a design_seed past 2^32 - 1", () => {
    // @ts-expect-error: a pi_draw the type does not allow either, refused when called from JavaScript
    expect(() => simulate("study", { pi_draw: "sweep" })).toThrow(/pi_draw must be one of replicate, cell/);
    expect(() => simulate("study", { design_seed: 2 ** 32 })).toThrow(/design_seed must be/);
  });
});
