import { describe, expect, it } from "vitest";
import { fit } from "../../src/estimators/fit.js";
import { replyRow, taskSize, writeTask } from "../../src/external/protocol.js";
import { simulate } from "../../src/sim/simulate.js";
import { PYTHON } from "../helpers/external.js";

const header = {
  type: "task" as const,
  id: 7,
  n: 3,
  seed: "11:m",
  data_seed: 11,
  columns: ["y", "x"],
  roles: { outcome: "y", exposure: "x", instruments: [], context: [], covariates: [] },
};

describe("the task message", () => {
  it("is the header line, then per column a little-endian uint32 count and float64 values", () => {
    const { head, size } = taskSize(header);
    const out = new Uint8Array(size + 5);
    const y = Float64Array.of(1.5, -2, Number.NaN);
    const x = Float64Array.of(0.1, 1e300, -0);
    expect(writeTask(out, head, 3, [y, x])).toBe(size);
    const text = new TextDecoder().decode(out.subarray(0, head.length));
    expect(text.endsWith("\n")).toBe(true);
    expect(JSON.parse(text)).toEqual(header);
    const view = new DataView(out.buffer);
    let at = head.length;
    for (const col of [y, x]) {
      expect(view.getUint32(at, true)).toBe(3);
      for (let i = 0; i < 3; i++) expect(Object.is(view.getFloat64(at + 4 + 8 * i, true), col[i])).toBe(true);
      at += 4 + 24;
    }
    expect(at).toBe(size);
  });
});

describe("a reply", () => {
  const where = "external process";
  it("gives a row: null numbers are NA, status defaults to ok, extras default to NA", () => {
    const row = replyRow(where, { id: 1, estimate: 0.5, se: null, p: 0.01, extras: { f: 3 } }, ["f", "g"]);
    expect(row).toMatchObject({ estimate: 0.5, p_value: 0.01, status: "ok" });
    expect(row.se).toBeNaN();
    expect(row.ci_lower).toBeNaN();
    expect(row.extras.f).toBe(3);
    expect(row.extras.g).toBeNaN();
  });
  it("may report the method's own failure with a message", () => {
    const row = replyRow(where, { id: 1, status: "failed", message: "singular" }, []);
    expect(row).toMatchObject({ status: "failed", message: "singular" });
  });
  for (const [reply, re] of [
    [{ id: 1, estimate: "1" }, /^external process: reply field estimate must be a number or null; got "1"$/],
    [{ id: 1, estimat: 1 }, /^external process: reply field must be one of id, estimate, .*; got "estimat"$/],
    [{ id: 1, status: "great" }, /^external process: reply field status must be one of ok, .*failed; got "great"$/],
    [
      { id: 1, extras: { h: 1 } },
      /^external process: reply extra "h" must be declared in the estimator's extras \(f\); got h$/,
    ],
    [{ id: 1, extras: [1] }, /^external process: reply field extras must be an object; got \[1\]$/],
  ] as const) {
    it(`breaking the protocol is refused: ${JSON.stringify(reply)}`, () => {
      expect(() => replyRow(where, reply as Record<string, unknown>, ["f"])).toThrow(re);
    });
  }
});

/** A Python method that echoes what it received: sums of the outcome and first instrument, n, seeds, roles. */
const ECHO = `
import sys, json
sys.path.insert(0, ${JSON.stringify(new URL("../../examples/external", import.meta.url).pathname)})
from mrsweep_client import serve
def fit(t):
    s = 0.0
    for v in t.outcome: s += v
    g = 0.0
    for v in t.instruments[0]: g += v
    return {"estimate": s, "se": t.n, "extras": {"g_sum": g, "data_seed": t.data_seed, "n_instruments": len(t.instruments)}}
serve(fit)
`;

describe("the external estimator in fit (this thread)", () => {
  const sim = simulate("study", { n: 300, L: 4 });
  const run = (params: Record<string, unknown>) =>
    fit(sim.data, sim.roles, { estimators: ["external"], estimatorParams: { external: params }, seed: 5 })[0];

  it("sends every column and the roles as the process reads them", () => {
    const row = run({ command: [PYTHON, "-c", ECHO], extras: ["g_sum", "data_seed", "n_instruments"] });
    const y = sim.data.columns[sim.data.names.indexOf(sim.roles.outcome)] as Float64Array;
    const g = sim.data.columns[sim.data.names.indexOf(sim.roles.instruments[0] as string)] as Float64Array;
    let s = 0;
    for (const v of y) s += v;
    let gs = 0;
    for (const v of g) gs += v;
    expect(row).toMatchObject({ status: "ok", estimate: s, se: 300, interval: "asymptotic" });
    expect(row?.extras).toEqual({ g_sum: gs, data_seed: 5, n_instruments: 4 });
  }, 60_000);

  it("a program that cannot start, or does not say hello, gives a failed row with why", () => {
    expect(run({ command: ["./no-such-program"] })?.message).toMatch(
      /^external process "\.\/no-such-program": must start; got spawn \.\/no-such-program ENOENT; its stderr was empty$/,
    );
    expect(run({ command: [PYTHON, "-c", "print('hi'); import sys; sys.stdin.read()"] })?.message).toMatch(
      /: must first write the hello line \{"protocol":"mrsweep-external","version":1\}; got "hi"; its stderr was empty$/,
    );
    expect(run({})?.message).toMatch(/^external: parameter command must be a program and its arguments; got nothing$/);
  }, 60_000);
});
