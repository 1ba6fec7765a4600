import { describe, expect, it } from "vitest";
import { booleanCell } from "../../src/io/booleans.js";
import { parseParamText } from "../../src/params.js";

describe("booleans as files and command lines write them", () => {
  it("reads R's TRUE/FALSE and T/F, true/false, yes/no and 1/0 in any case; nothing else", () => {
    for (const t of ["TRUE", "True", "true", "T", "t", "1", "yes", " TRUE "]) expect(booleanCell(t), t).toBe(true);
    for (const t of ["FALSE", "False", "false", "F", "f", "0", "no"]) expect(booleanCell(t), t).toBe(false);
    for (const t of ["", "NA", "maybe", "2", "TRUE1", "on"]) expect(booleanCell(t), t).toBeUndefined();
  });

  it("boolean parameters given with --set accept the same spellings and name them when refused", () => {
    const spec = { name: "recalibrate", type: "boolean" as const, help: "" };
    expect(parseParamText("fit", spec, "TRUE")).toBe(true);
    expect(parseParamText("fit", spec, "F")).toBe(false);
    expect(() => parseParamText("fit", spec, "maybe")).toThrow(
      /^fit: --recalibrate must be TRUE or FALSE \(as R writes logicals; also true\/false, T\/F, yes\/no, 1\/0\); got "maybe"$/,
    );
  });
});
