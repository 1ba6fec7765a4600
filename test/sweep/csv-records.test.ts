import { describe, expect, it } from "vitest";
import { canonicalJson, configDiff, relate } from "../../src/sweep/config-diff.js";
import { csvRecords } from "../../src/sweep/csv-records.js";

describe("csvRecords: reading back a CSV the tool wrote, line-resynchronising", () => {
  it("parses quoted fields with commas, doubled quotes and newlines, and counts lines", () => {
    const text = 'a,b,c\n1,"x, ""y""",3\n4,"two\nlines",6\n';
    expect(csvRecords(text, 3)).toEqual({
      records: [
        { fields: ["a", "b", "c"], line: 1 },
        { fields: ["1", 'x, "y"', "3"], line: 2 },
        { fields: ["4", "two\nlines", "6"], line: 3 },
      ],
      badLines: [],
    });
  });

  it("an unbalanced quote costs its own line only", () => {
    const text = 'a,b,c\n1,"oops,3\n4,5,6\n7,"q",9\n';
    const r = csvRecords(text, 3);
    expect(r.records.map((x) => x.fields[0])).toEqual(["a", "4", "7"]);
    expect(r.badLines).toEqual([2]);
  });

  it("records of the wrong width, stray quotes inside fields and a quote not followed by a delimiter are dropped", () => {
    const text = '1,2\n1,2,3\n1,x"y,3\n1,"a"b,3\n,,\n';
    const r = csvRecords(text, 3);
    expect(r.records.map((x) => x.line)).toEqual([2, 5]);
    expect(r.badLines).toEqual([1, 3, 4]);
  });
});

describe("configurations as values", () => {
  it("canonical JSON ignores key order at every level", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: "s" } })).toBe(
      canonicalJson({ a: { c: "s", d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
  });

  it("differences are listed by key path, absent keys as (none)", () => {
    expect(
      configDiff({ params: { pi_scale: 0.3, L: 5 }, seed: 1 }, { seed: 2, params: { L: 5, pi_scale: 0.5, n: 9 } }),
    ).toEqual(["params.n: (none) → 9", "params.pi_scale: 0.3 → 0.5", "seed: 1 → 2"]);
  });

  it("more replicates and more grid values extend; fewer, a new axis or any other change differ", () => {
    const base = { dgp: "study", grid: { n: [1, 2], L: [5] }, replicates: 10 };
    expect(relate(base, { ...base }).kind).toBe("same");
    expect(relate(base, { ...base, replicates: 20 }).kind).toBe("extends");
    expect(relate(base, { ...base, grid: { n: [0, 1, 2], L: [5, 15] } }).kind).toBe("extends");
    expect(relate(base, { ...base, replicates: 5 }).kind).toBe("differs");
    expect(relate(base, { ...base, grid: { n: [1], L: [5] } }).kind).toBe("differs");
    expect(relate(base, { ...base, grid: { L: [5], n: [1, 2] } }).kind).toBe("differs");
    expect(relate(base, { ...base, grid: { n: [1, 2], L: [5], x: [1] } }).kind).toBe("differs");
    expect(relate(base, { ...base, replicates: 20, dgp: "other" }).kind).toBe("differs");
  });
});
