import { resolveParams } from "../params.js";
import { getDgp } from "../sim/registry.js";
import type { Dgp } from "../sim/types.js";
import type { SweepSetup, TaskMessage } from "./messages.js";
import { type PartRef, partSecondsByEstimator, partsOf } from "./part-refs.js";
import type { TaskInput } from "./run-task.js";

/** Turns task messages into runnable tasks; each cell's DGP parameters are validated once, on first use. */
export class TaskInputs {
  private readonly dgp: Dgp<object>;
  private readonly resolved: Array<Record<string, unknown> | undefined> = [];
  private partRefs: readonly PartRef[] | undefined;

  constructor(private readonly setup: SweepSetup) {
    this.dgp = getDgp(setup.dgp);
  }

  /** The task of a message: its cell's resolved parameters with the message's seed. */
  of(m: TaskMessage): TaskInput {
    const { dgp, setup } = this;
    let base = this.resolved[m.cell];
    if (!base) {
      const cell = setup.cells[m.cell];
      if (!cell) throw new Error(`task for cell ${m.cell}, but the sweep has ${setup.cells.length} cells (bug)`);
      base = resolveParams(dgp.id, dgp.params, dgp.defaults, { ...cell.params, seed: m.seed }) as Record<
        string,
        unknown
      >;
      this.resolved[m.cell] = base;
    }
    return {
      cell: m.cell,
      replicate: m.replicate,
      seed: m.seed,
      dgp,
      params: { ...base, seed: m.seed },
      rng: setup.rng,
      estimators: setup.estimators,
      ...(m.parts
        ? {
            parts: new Map(Object.entries(m.parts.results)),
            partSeconds: partSecondsByEstimator(setup.estimators, m),
          }
        : {}),
    };
  }

  /** The pieces of every task that part tasks compute first (src/sweep/parts.ts). */
  get parts(): readonly PartRef[] {
    this.partRefs ??= partsOf(this.setup.estimators);
    return this.partRefs;
  }

  /** The extras columns of replicates.csv, in order. */
  get extras(): readonly string[] {
    return this.setup.extras;
  }

  /** The output columns of units.csv, when the sweep writes it. */
  get units(): readonly string[] | undefined {
    return this.setup.units;
  }

  /** The leading CSV fields of a cell's rows. */
  lead(cell: number): readonly string[] {
    return this.setup.cells[cell]?.lead ?? [];
  }
}
