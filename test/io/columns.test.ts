import { describe, expect, it } from "vitest";
import { MrsweepError } from "../../src/errors.js";
import { numericFrame } from "../../src/io/columns.js";

/** A one-column table `x` with a good row, then `cell` at row 3 (the header is row 1). */
function table(cell: string) {
  return { file: "d.csv", names: ["x"], rows: [["1"], [cell]] };
}

describe("numericFrame: cells are decimal numbers only", () => {
  const accepted: Array<[string, number]> = [
    ["0", 0],
    ["-0.5", -0.5],
    ["+2", 2],
    [".5", 0.5],
    ["5.", 5],
    ["1e-3", 0.001],
    ["2.5E+2", 250],
    ["007", 7],
    ["-1.25e1", -12.5],
  ];
  for (const [cell, value] of accepted) {
    it(`accepts ${JSON.stringify(cell)} as ${value}`, () => {
      expect(numericFrame(table(cell), ["x"]).columns[0]?.[1]).toBe(value);
    });
  }

  // Each of these but the last three is a number to JavaScript's Number().
  const refused = [
    "0x1F",
    "0X1f",
    "0b101",
    "0o17",
    "-0x10",
    "Infinity",
    "-Infinity",
    "1e400",
    "1_000",
    "1,5",
    "NaN",
    "NA",
    ".",
    "-",
    "e5",
    "1e",
    "1.2.3",
    " 1",
  ];
  for (const cell of refused) {
    it(`refuses ${JSON.stringify(cell)}, naming file, column, row and value`, () => {
      const e = (() => {
        try {
          numericFrame(table(cell), ["x"]);
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      expect(e).toBeInstanceOf(MrsweepError);
      expect((e as Error).message).toBe(
        `d.csv: column "x" must hold finite numbers; got 1 non-numeric or non-finite value (first at row 3: ${JSON.stringify(cell)})`,
      );
    });
  }
});
