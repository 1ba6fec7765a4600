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

/** Binds columns of equal length into a column-major matrix. */
export function fromColumns(columns: readonly Float64Array[], rows?: number): Matrix {
  const n = rows ?? columns[0]?.length ?? 0;
  const m = zeros(n, columns.length);
  columns.forEach((c, j) => {
    if (c.length !== n) throw new RangeError(`fromColumns: column ${j} must have length ${n}; got ${c.length}`);
    m.data.set(c, j * n);
  });
  return m;
}

/** Column j as a view (no copy). */
export function column(m: Matrix, j: number): Float64Array {
  return m.data.subarray(j * m.rows, (j + 1) * m.rows);
}
