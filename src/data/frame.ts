/**
 * A matrix of one-byte codes with one row per frame row, stored row-major (row i is
 * `codes[i * width .. (i + 1) * width)`): e.g. DNA sequences, `alphabet` "ACGT" (0 = A, 1 = C,
 * 2 = G, 3 = T). Data that are not numbers per row and would cost 8 bytes a code as columns.
 */
export interface ByteMatrix {
  /** Its name: what a role names, and the column header when written to CSV. */
  readonly name: string;
  /** Codes per row. */
  readonly width: number;
  /** n x width codes, row-major; each code indexes `alphabet`. */
  readonly codes: Uint8Array;
  /** One character per code, so that a row reads as text (code c is `alphabet[c]`). */
  readonly alphabet: string;
}

/**
 * A table of named numeric columns, all of one length. `integer` marks columns whose values are
 * whole numbers (genotypes, age, sex), which are written without a decimal point. `bytes`, when
 * present, holds byte matrices with one row per frame row (a DGP's sequences): code that only reads
 * `names` and `columns` sees the numeric table and ignores them; writers append each as a text
 * column (see `byteRowText`).
 */
export interface Frame {
  readonly n: number;
  readonly names: readonly string[];
  readonly columns: readonly Float64Array[];
  readonly integer: readonly boolean[];
  readonly bytes?: readonly ByteMatrix[];
}

/** Builds a frame from [name, values, integer?] triples, and optionally byte matrices of n rows each. */
export function frame(entries: ReadonlyArray<readonly [string, Float64Array, boolean?]>, bytes?: ByteMatrix[]): Frame {
  const n = entries[0]?.[1].length ?? (bytes?.[0] ? rowsOf(bytes[0]) : 0);
  for (const [name, values] of entries) {
    if (values.length !== n)
      throw new RangeError(`frame: column "${name}" must have ${n} values; got ${values.length}`);
  }
  for (const m of bytes ?? []) {
    if (m.codes.length !== n * m.width)
      throw new RangeError(`frame: byte matrix "${m.name}" must have ${n * m.width} codes; got ${m.codes.length}`);
  }
  const base = {
    n,
    names: entries.map((e) => e[0]),
    columns: entries.map((e) => e[1]),
    integer: entries.map((e) => e[2] ?? false),
  };
  return bytes && bytes.length > 0 ? { ...base, bytes } : base;
}

function rowsOf(m: ByteMatrix): number {
  return m.width > 0 ? m.codes.length / m.width : 0;
}

/** The column called `name`, or undefined. */
export function getColumn(f: Frame, name: string): Float64Array | undefined {
  const j = f.names.indexOf(name);
  return j < 0 ? undefined : f.columns[j];
}

/** The byte matrix called `name` (e.g. the one the `bases` role names), or undefined. */
export function getBytes(f: Frame, name: string): ByteMatrix | undefined {
  return f.bytes?.find((m) => m.name === name);
}

/** Row `i` of a byte matrix as text, one alphabet character per code (e.g. "ACGT..."). */
export function byteRowText(m: ByteMatrix, i: number): string {
  let s = "";
  const at = i * m.width;
  for (let k = 0; k < m.width; k++) s += m.alphabet[m.codes[at + k] as number] ?? "?";
  return s;
}

/** Rows `idx` of a byte matrix (in that order, repeats allowed), as a new matrix: for resampling and subsets. */
export function pickByteRows(m: ByteMatrix, idx: ArrayLike<number>): ByteMatrix {
  const w = m.width;
  const codes = new Uint8Array(idx.length * w);
  for (let i = 0; i < idx.length; i++) {
    const from = (idx[i] as number) * w;
    codes.set(m.codes.subarray(from, from + w), i * w);
  }
  return { ...m, codes };
}
