import { describe, expect, it } from "vitest";
import { parseSweepConfig, type SweepConfig } from "../../src/sweep/config.js";
import { cells } from "../../src/sweep/plan.js";
import { SWEEP_PRESETS } from "../../src/sweep/presets.js";
import { parseShard, shardDir } from "../../src/sweep/shard.js";
import { splitPlan } from "../../src/sweep/shard-split.js";
import { smallConfig } from "../helpers/sweep.js";

/** src/sweep/shard-split.ts: the plan split by expected cost, each task in exactly one shard. */

const preset = (name: string, replicates?: number): SweepConfig =>
  parseSweepConfig({ ...(SWEEP_PRESETS[name] as Record<string, unknown>), ...(replicates ? { replicates } : {}) });

const CASES: Array<[string, SweepConfig, number[]]> = [
  ["quick", preset("quick"), [2, 3, 4, 7, 16]],
  ["quick, 3 replicates", preset("quick", 3), [2, 5, 36]],
  ["a small study grid", parseSweepConfig(smallConfig(13)), [2, 3, 6]],
  ["inv_repr (costed λ runs)", preset("invariance-repr-small"), [2, 4]],
];

describe("the cost-balanced split", () => {
  for (const [name, config, counts] of CASES) {
    for (const n of counts) {
      it(`${name} in ${n} shards: every task once; shards' expected costs within one task's cost`, () => {
        const grid = cells(config);
        const split = splitPlan(config, grid, n);
        const seen = new Set<string>();
        let total = 0;
        for (let i = 1; i <= n; i++) {
          const own = split.tasksOf(i);
          let cost = 0;
          for (const t of own) {
            const key = `${t.cell}/${t.replicate}`;
            expect(seen.has(key)).toBe(false);
            seen.add(key);
            expect(split.shardOf(t.cell, t.replicate)).toBe(i);
            cost += split.taskCost[t.cell] as number;
          }
          expect(cost).toBeCloseTo(split.cost[i - 1] as number, 9);
          total += own.length;
        }
        expect(total).toBe(grid.length * config.replicates);
        const gap = Math.max(...split.cost) - Math.min(...split.cost);
        // At most: three equal tasks on two shards cannot do better than one task's cost apart.
        expect(gap).toBeLessThanOrEqual(Math.max(...split.taskCost) * (1 + 1e-12));
        // The same split whenever it is computed (every array task computes it alone).
        expect(splitPlan(config, grid, n).fingerprint).toBe(split.fingerprint);
      });
    }
  }

  it("deals each cell across the shards in one contiguous block per shard: quick in 4 shards, 25 of each cell's 100 replicates each", () => {
    const config = preset("quick");
    const grid = cells(config);
    const split = splitPlan(config, grid, 4);
    for (const c of grid) {
      const owners = ownersOf(split, c.index, config.replicates);
      for (let shard = 1; shard <= 4; shard++) {
        const mine = owners.flatMap((o, r) => (o === shard ? [r] : []));
        expect(mine.length).toBe(25);
        expect((mine.at(-1) as number) - (mine[0] as number)).toBe(24);
      }
    }
  });

  it("rotates the larger blocks from cell to cell: 10 replicates of 6 equally costly cells in 4 shards give every shard 15 tasks", () => {
    const config = parseSweepConfig({
      ...smallConfig(10),
      params: { L: 5, n: 500 },
      grid: { pi_scale: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6] },
    });
    const split = splitPlan(config, cells(config), 4);
    expect([1, 2, 3, 4].map((i) => split.tasksOf(i).length)).toEqual([15, 15, 15, 15]);
  });

  it("--shard takes I/N with I from 1 to N", () => {
    expect(parseShard("sweep", "1/4")).toEqual({ index: 1, count: 4 });
    expect(parseShard("sweep", "4/4")).toEqual({ index: 4, count: 4 });
    for (const bad of ["0/4", "5/4", "1/0", "a/4", "1-4", "-1/4"])
      expect(() => parseShard("sweep", bad)).toThrow(
        /--shard must be I\/N with 1 <= I <= N <= 10000 \(I counts from 1/,
      );
    expect(shardDir("r", { index: 3, count: 12 })).toBe("r/shards/shard-03");
  });
});

/** The shards owning the replicates of one cell. */
function ownersOf(split: ReturnType<typeof splitPlan>, cell: number, replicates: number): number[] {
  const out: number[] = [];
  for (let r = 1; r <= replicates; r++) out.push(split.shardOf(cell, r));
  return out;
}
