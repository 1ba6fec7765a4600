import { join } from "node:path";
import type { Piscina } from "piscina";
import { described, errors } from "../errors.js";
import type { SweepConfig } from "./config.js";
import type { TaskMessage, TaskOutput } from "./messages.js";
import { type Cell, seedOf } from "./plan.js";
import type { Claim } from "./run-dir.js";

/**
 * Rows found without a run.json passed every check the plan allows, but the plan does not decide
 * the numbers: a few of those tasks (the first of each cell, at most 8) are run again, and any
 * that do not give the same bytes refuse the folder before anything is written.
 */
export async function spotCheck(
  pool: Piscina,
  o: { config: SweepConfig; dir: string },
  claim: Claim,
  grid: readonly Cell[],
): Promise<void> {
  const { table } = claim.recovered;
  const sample: TaskMessage[] = [];
  for (const cell of grid) {
    for (let r = 1; r <= o.config.replicates && sample.length < 8; r++) {
      if (!table.has(cell.index, r)) continue;
      sample.push({ cell: cell.index, replicate: r, seed: seedOf(o.config, cell, r, claim.seedBits) });
      break;
    }
  }
  const results = (await pool.run(sample)) as TaskOutput[];
  const differing = results.find((r) => r.csv !== table.textOf(r.cell, r.replicate));
  if (differing) {
    const cell = grid[differing.cell] as Cell;
    throw errors.invalid(
      "sweep",
      `${join(o.dir, "replicates.csv")} (there is no run.json to say what made it)`,
      "rows of this configuration (use --force to start afresh, or another --out)",
      described(
        `rows that this configuration does not reproduce (cell ${cell.id} replicate ${differing.replicate}, run again)`,
      ),
    );
  }
}
