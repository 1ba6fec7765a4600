/** A dense column-major matrix: element (i, j) is `data[j * rows + i]`. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** A rows x cols matrix of zeros. */
export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/**
 * Binds columns of equal length into a column-major matrix. Columns that already lie end to end in
 * one buffer (views of one matrix, as a simulated frame's genotypes are) are bound without a copy,
 * so the result may share memory with them: treat it as read-only.
 */
export function fromColumns(columns: readonly Float64Array[], rows?: number): Matrix {
  const n = rows ?? columns[0]?.length ?? 0;
  for (let j = 0; j < columns.length; j++) {
    const c = columns[j] as Float64Array;
    if (c.length !== n) throw new RangeError(`fromColumns: column ${j} must have length ${n}; got ${c.length}`);
  }
  const first = columns[0];
  if (first && adjacent(columns, n)) {
    return {
      rows: n,
      cols: columns.length,
      data: new Float64Array(first.buffer, first.byteOffset, n * columns.length),
    };
  }
  const m = zeros(n, columns.length);
  for (let j = 0; j < columns.length; j++) m.data.set(columns[j] as Float64Array, j * n);
  return m;
}

/** Whether each column starts where the one before it ends, in the same buffer. */
function adjacent(columns: readonly Float64Array[], n: number): boolean {
  const first = columns[0] as Float64Array;
  for (let j = 1; j < columns.length; j++) {
    const c = columns[j] as Float64Array;
    if (c.buffer !== first.buffer || c.byteOffset !== first.byteOffset + j * n * 8) return false;
  }
  return true;
}

/** Column j as a view (no copy). */
export function column(m: Matrix, j: number): Float64Array {
  return m.data.subarray(j * m.rows, (j + 1) * m.rows);
}
