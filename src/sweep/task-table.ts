/**
 * The finished tasks of a sweep: each task's replicates.csv text and summary numbers, in a slot
 * fixed by its cell and replicate. Reading the slots in order gives the canonical order (cell,
 * then replicate) with no sorting, whatever order the tasks finished in.
 */
export class TaskTable {
  private readonly csv: Array<string | undefined>;
  private readonly numbers: Array<Float64Array | undefined>;
  private readonly failed: Uint8Array;
  private readonly perCell: number[];
  private count = 0;
  private failedCount = 0;

  constructor(
    readonly cells: number,
    readonly replicates: number,
  ) {
    this.csv = new Array<string | undefined>(cells * replicates).fill(undefined);
    this.numbers = new Array<Float64Array | undefined>(cells * replicates).fill(undefined);
    this.failed = new Uint8Array(cells * replicates);
    this.perCell = new Array<number>(cells).fill(0);
  }

  /** Whether (cell, replicate) is a task of the plan: cell from 0, replicate from 1. */
  inPlan(cell: number, replicate: number): boolean {
    return (
      Number.isInteger(cell) &&
      Number.isInteger(replicate) &&
      cell >= 0 &&
      cell < this.cells &&
      replicate >= 1 &&
      replicate <= this.replicates
    );
  }

  private slot(cell: number, replicate: number): number {
    if (!this.inPlan(cell, replicate)) {
      throw new Error(`task (cell ${cell}, replicate ${replicate}) is outside the plan (bug)`);
    }
    return cell * this.replicates + replicate - 1;
  }

  has(cell: number, replicate: number): boolean {
    return this.csv[this.slot(cell, replicate)] !== undefined;
  }

  /**
   * Records a finished task (a task recorded again replaces its earlier record); `failed` when
   * any of its estimators has status `failed`.
   */
  set(cell: number, replicate: number, csv: string, numbers: Float64Array, failed = false): void {
    const i = this.slot(cell, replicate);
    this.delete(cell, replicate);
    this.count++;
    this.perCell[cell] = (this.perCell[cell] as number) + 1;
    this.csv[i] = csv;
    this.numbers[i] = numbers;
    this.failed[i] = failed ? 1 : 0;
    if (failed) this.failedCount++;
  }

  /** Records a finished task as another table (of the same plan) holds it: a shard's, in a merge. */
  copyFrom(other: TaskTable, cell: number, replicate: number): void {
    const i = other.slot(cell, replicate);
    const csv = other.csv[i];
    const numbers = other.numbers[i];
    if (csv === undefined || numbers === undefined)
      throw new Error(`task (cell ${cell}, replicate ${replicate}) is not finished (bug)`);
    this.set(cell, replicate, csv, numbers, other.failed[i] === 1);
  }

  /** Forgets a task (to run it again). */
  delete(cell: number, replicate: number): void {
    const i = this.slot(cell, replicate);
    if (this.csv[i] === undefined) return;
    this.count--;
    this.perCell[cell] = (this.perCell[cell] as number) - 1;
    if (this.failed[i]) this.failedCount--;
    this.csv[i] = undefined;
    this.numbers[i] = undefined;
    this.failed[i] = 0;
  }

  /** A finished task's CSV text (undefined when it is not finished). */
  textOf(cell: number, replicate: number): string | undefined {
    return this.csv[this.slot(cell, replicate)];
  }

  /** How many tasks are finished. */
  get size(): number {
    return this.count;
  }

  /** How many finished tasks have a failed estimator. */
  get failures(): number {
    return this.failedCount;
  }

  /** The finished tasks with a failed estimator, in canonical order. */
  failedTasks(): Array<{ cell: number; replicate: number }> {
    const out: Array<{ cell: number; replicate: number }> = [];
    for (let i = 0; i < this.failed.length; i++) {
      if (this.failed[i]) out.push({ cell: Math.floor(i / this.replicates), replicate: (i % this.replicates) + 1 });
    }
    return out;
  }

  /** How many tasks of `cell` are finished. */
  doneIn(cell: number): number {
    return this.perCell[cell] ?? 0;
  }

  /** The CSV text of every finished task, in canonical order. */
  text(): string {
    let out = "";
    for (const t of this.csv) if (t !== undefined) out += t;
    return out;
  }

  /** Every finished task's cell and summary numbers, in canonical order. */
  *finished(): Generator<{ cell: number; numbers: Float64Array }> {
    for (let i = 0; i < this.numbers.length; i++) {
      const numbers = this.numbers[i];
      if (numbers) yield { cell: Math.floor(i / this.replicates), numbers };
    }
  }
}
