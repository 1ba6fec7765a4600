import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ByteMatrix, byteRowText, frame, getBytes, getColumn, pickByteRows } from "../../src/data/frame.js";
import { MrsweepError } from "../../src/errors.js";
import { toIndividualData } from "../../src/estimators/fit.js";
import { resampleData } from "../../src/estimators/person-bootstrap.js";
import { withSampleChoice } from "../../src/estimators/sample.js";
import type { IndividualData, IndividualEstimator } from "../../src/estimators/types.js";
import { writeFrame } from "../../src/io/write-table.js";
import { simulate } from "../../src/sim/simulate.js";

const dir = mkdtempSync(join(tmpdir(), "mrsweep-bytes-"));

/** Four rows of three bases each: AAA, CCC, GGG, TTT. */
function fourRows(): ByteMatrix {
  return { name: "seq", width: 3, codes: Uint8Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]), alphabet: "ACGT" };
}

const texts = (m: ByteMatrix | null | undefined) => {
  const out: string[] = [];
  if (m) for (let i = 0; i < m.codes.length / m.width; i++) out.push(byteRowText(m, i));
  return out;
};

describe("byte matrices on frames (the data contract)", () => {
  it("frame() checks their length; getBytes finds them by name; frames without them are unchanged", () => {
    const codes = Uint8Array.from([0, 1, 2, 3, 3, 2]);
    const f = frame([["x", Float64Array.from([1, 2])]], [{ name: "seq", width: 3, codes, alphabet: "ACGT" }]);
    expect(getBytes(f, "seq")?.codes).toBe(codes);
    expect(getBytes(f, "other")).toBeUndefined();
    expect(texts(getBytes(f, "seq"))).toEqual(["ACG", "TTG"]);
    expect(() =>
      frame([["x", Float64Array.from([1, 2, 3])]], [{ name: "seq", width: 3, codes, alphabet: "ACGT" }]),
    ).toThrow('frame: byte matrix "seq" must have 9 codes; got 6');
    expect("bytes" in frame([["x", Float64Array.from([1])]])).toBe(false);
  });

  it("pickByteRows copies rows in the order given, repeats allowed", () => {
    expect(texts(pickByteRows(fourRows(), [3, 0, 3]))).toEqual(["TTT", "AAA", "TTT"]);
  });

  it("writeFrame appends each byte matrix as a text column of its alphabet (a simulated CSV's sequence column)", async () => {
    const s = simulate("deep_mr_sim", { n_train: 8, n_test: 3, seed: 2 });
    const path = join(dir, "dm.csv");
    await writeFrame(path, s.data);
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe([...s.data.names, "sequence"].join(","));
    expect(lines.length).toBe(1 + s.data.n);
    const m = getBytes(s.data, "sequence") as ByteMatrix;
    lines.slice(1).forEach((line, i) => {
      const cells = line.split(",");
      expect(cells.length).toBe(15);
      expect(cells[14]).toMatch(/^[ACGT]{100}$/);
      expect(cells[14]).toBe(byteRowText(m, i));
      expect(Number(cells[1])).toBe((getColumn(s.data, "exp_count") as Float64Array)[i]);
    });
  });
});

describe("the bases role in estimators' data", () => {
  it("toIndividualData hands estimators the byte matrix the bases role names, null without the role", () => {
    const s = simulate("deep_mr_sim", { n_train: 10, n_test: 4, seed: 3 });
    const data = toIndividualData(s.data, s.roles);
    expect(data.bases).toBe(getBytes(s.data, "sequence"));
    expect(toIndividualData(s.data, { ...s.roles, bases: undefined }).bases).toBeNull();
    expect(() => toIndividualData(s.data, { ...s.roles, bases: "dna" }, "here")).toThrow(
      new MrsweepError('here: role bases must be the name of a byte matrix of the data (sequence); got "dna"'),
    );
  });

  it("resampled and first-sample data carry the sequences of their rows", () => {
    const f = frame(
      [
        ["y", Float64Array.from([1, 2, 3, 4])],
        ["x", Float64Array.from([5, 6, 7, 8])],
        ["s", Float64Array.from([2, 1, 1, 2])],
      ],
      [fourRows()],
    );
    const data = toIndividualData(f, { outcome: "y", exposure: "x", instruments: [], sample: "s", bases: "seq" });
    expect(texts(resampleData(data, Int32Array.from([2, 2, 0]), []).bases)).toEqual(["GGG", "GGG", "AAA"]);
    let seen: IndividualData | undefined;
    const spy: IndividualEstimator<object> = {
      id: "spy",
      label: "spy",
      description: "records its data",
      input: "individual",
      params: [],
      defaults: {},
      extras: [],
      interval: () => "none",
      fit(d: IndividualData) {
        seen = d;
        return { estimator: "spy", estimate: 0, se: 0, ci_lower: 0, ci_upper: 0, status: "ok", extras: {} };
      },
    } as unknown as IndividualEstimator<object>;
    withSampleChoice(spy).fit(data, { sample: "first" }, { core: undefined as never, seed: 1 });
    expect(Array.from(seen?.outcome ?? [])).toEqual([2, 3]);
    expect(texts(seen?.bases)).toEqual(["CCC", "GGG"]);
  });
});
