import seedrandom from "seedrandom";

/**
 * One malformed input: files to write into the case's own temporary folder, and the arguments of
 * `mrsweep` (in which `$DIR` stands for that folder). Every case must be refused.
 */
export interface CorpusCase {
  /** `<category>#<k>`, unique. */
  readonly id: string;
  /** What was broken, e.g. `fit/hex-cell`; the unit of `PENDING`. */
  readonly category: string;
  readonly files: Readonly<Record<string, string>>;
  readonly argv: readonly string[];
  /** 2 for bad input (the default), 1 for an environment error. */
  readonly code?: 1 | 2;
}

/** A seeded random source with the few draws the generators need. */
export class Draw {
  private readonly next: () => number;
  constructor(seed: string) {
    this.next = seedrandom(seed);
  }
  /** A float in [lo, hi). */
  float(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** One element of a non-empty list. */
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)] as T;
  }
  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** A delimited table as header and rows of cell texts, before it is written. */
export interface Table {
  header: string[];
  rows: string[][];
}

/** Copies a table so that a mutation leaves the original alone. */
export function copy(t: Table): Table {
  return { header: [...t.header], rows: t.rows.map((r) => [...r]) };
}

/** The text of a table, one line per row, ending in a newline. */
export function render(t: Table, delimiter = ","): string {
  return `${[t.header, ...t.rows].map((r) => r.join(delimiter)).join("\n")}\n`;
}

/** Numbers as a user's file writes them. */
export function num(v: number): string {
  return Number(v.toFixed(5)).toString();
}

/** Builds the `count` cases of one category from a generator of (files, argv) given a draw. */
export function cases(
  category: string,
  count: number,
  make: (d: Draw, k: number) => Omit<CorpusCase, "id" | "category">,
): CorpusCase[] {
  return Array.from({ length: count }, (_, k) => ({
    id: `${category}#${k}`,
    category,
    ...make(new Draw(`${category}#${k}`), k),
  }));
}
