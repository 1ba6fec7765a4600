import { describe, expect, it } from "vitest";
import { fromColumns } from "../../src/core/matrix.js";

describe("fromColumns", () => {
  it("binds adjacent views of one buffer without copying", () => {
    const backing = Float64Array.from({ length: 12 }, (_, i) => i);
    const cols = [backing.subarray(0, 4), backing.subarray(4, 8), backing.subarray(8, 12)];
    const m = fromColumns(cols);
    expect(m.data.buffer).toBe(backing.buffer);
    expect(Array.from(m.data)).toEqual(Array.from(backing));
    expect([m.rows, m.cols]).toEqual([4, 3]);
  });

  it("copies columns that are not adjacent, in column order", () => {
    const backing = Float64Array.from({ length: 12 }, (_, i) => i);
    const m = fromColumns([backing.subarray(8, 12), backing.subarray(0, 4)]);
    expect(m.data.buffer).not.toBe(backing.buffer);
    expect(Array.from(m.data)).toEqual([8, 9, 10, 11, 0, 1, 2, 3]);
    const separate = fromColumns([new Float64Array([1, 2]), new Float64Array([3, 4])]);
    expect(Array.from(separate.data)).toEqual([1, 2, 3, 4]);
  });

  it("refuses a column of the wrong length", () => {
    expect(() => fromColumns([new Float64Array(3), new Float64Array(2)])).toThrow(/column 1 must have length 3; got 2/);
  });
});
