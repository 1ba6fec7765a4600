/**
 * The finished tasks of a sweep: each task's replicates.csv text and summary numbers, in a slot
 * fixed by its cell and replicate. Reading the slots in order gives the canonical order (cell,
 * then replicate) with no sorting, whatever order the tasks finished in.
 */
export class TaskTable {
  private readonly csv: Array<string | undefined>;
  private readonly numbers: Array<Float64Array | undefined>;
  private readonly perCell: number[];
  private count = 0;

  constructor(
    readonly cells: number,
    readonly replicates: number,
  ) {
    this.csv = new Array<string | undefined>(cells * replicates).fill(undefined);
    this.numbers = new Array<Float64Array | undefined>(cells * replicates).fill(undefined);
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

  /** Records a finished task (a task recorded again replaces its earlier record). */
  set(cell: number, replicate: number, csv: string, numbers: Float64Array): void {
    const i = this.slot(cell, replicate);
    if (this.csv[i] === undefined) {
      this.count++;
      this.perCell[cell] = (this.perCell[cell] as number) + 1;
    }
    this.csv[i] = csv;
    this.numbers[i] = numbers;
  }

  /** How many tasks are finished. */
  get size(): number {
    return this.count;
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
