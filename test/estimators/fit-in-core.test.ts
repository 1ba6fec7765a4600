import { describe, expect, it, vi } from "vitest";
import { createCore } from "../../src/core/load.js";
import type { Core } from "../../src/core/memory.js";
import { frame } from "../../src/data/frame.js";
import { fit, settleInCore } from "../../src/estimators/fit.js";
import { getEstimator } from "../../src/estimators/registry.js";
import type { IndividualEstimator } from "../../src/estimators/types.js";
import { simulate } from "../../src/sim/simulate.js";

const sim = simulate("study", { n: 2000, L: 20, seed: 8 });
const IDS = ["ols", "tsls", "tsls_lasso", "ivw"];

/** Estimates, standard errors and statuses of a fit, for comparing fits. */
const summary = (rows: ReturnType<typeof fit>) => rows.map((r) => [r.estimator, r.estimate, r.se, r.status]);

/** Counts what core.at copies in: inputs that do not already live in the core (before: G on each call). */
function countCopies(core: Core) {
  const at = core.at.bind(core);
  const copies = { doubles: 0 };
  vi.spyOn(core, "at").mockImplementation((src) => {
    if (!core.holds(src)) copies.doubles += src.length;
    return at(src);
  });
  return copies;
}

describe("fit places the data in the core once, for all its estimators", () => {
  it("every estimator reads the data where they are (core.at copies nothing), and the arena is freed afterwards", () => {
    const core = createCore();
    const copies = countCopies(core);
    // What core.put copies in (always a copy): no estimator copies G whole (ivw's per-SNP statistics read it in place).
    const put = core.put.bind(core);
    let largestPut = 0;
    vi.spyOn(core, "put").mockImplementation((src) => {
      largestPut = Math.max(largestPut, src.length);
      return put(src);
    });
    const before = core.wasm.mark();
    fit(sim.data, sim.roles, { estimators: IDS, core });
    // One column is 2000 doubles: the estimators copy less than one between them.
    expect(copies.doubles).toBeLessThan(sim.data.n);
    expect(largestPut).toBeGreaterThan(0);
    expect(largestPut).toBeLessThan(sim.data.n * sim.roles.instruments.length);
    expect(core.wasm.mark()).toBe(before);
  });

  it("gives the estimates of each estimator fitted alone", () => {
    const together = fit(sim.data, sim.roles, { estimators: IDS, core: createCore() });
    const alone = IDS.flatMap((id) => fit(sim.data, sim.roles, { estimators: [id], core: createCore() }));
    expect(summary(together)).toEqual(summary(alone));
  });

  it("a fit that grows memory past its reserved workspace is fitted again on fresh views: same estimates", () => {
    const ids = ["tsls", "ols", "ivw"];
    const expected = fit(sim.data, sim.roles, { estimators: ids, core: createCore() });
    const tsls = getEstimator("tsls") as IndividualEstimator<object>;
    const original = tsls.fit.bind(tsls);
    // Growing memory by 256 MB before tsls reads its data detaches every view of the dataset.
    const grow = vi.spyOn(tsls, "fit").mockImplementationOnce((data, params, ctx) => {
      ctx.core.alloc((256 << 20) / 8);
      return original(data, params, ctx);
    });
    try {
      const got = fit(sim.data, sim.roles, { estimators: ids, core: createCore() });
      expect(grow).toHaveBeenCalledTimes(2);
      expect(summary(got)).toEqual(summary(expected));
    } finally {
      grow.mockRestore();
    }
  });

  it("data read into the core (instruments first, end to end) are fitted where they lie: nothing more is placed", () => {
    const core = createCore();
    const { roles } = sim;
    const names = [...roles.instruments, ...sim.data.names.filter((name) => !roles.instruments.includes(name))];
    const n = sim.data.n;
    const ptr = core.alloc(n * names.length);
    names.forEach((name, j) => {
      core.view(ptr + j * n * 8, n).set(sim.data.columns[sim.data.names.indexOf(name)] as Float64Array);
    });
    const placed = frame(names.map((name, j) => [name, core.view(ptr + j * n * 8, n)] as const));
    const settled = settleInCore(placed, roles, IDS, { core });
    expect((settled.columns[0] as Float64Array).byteOffset).toBe(ptr);
    const top = core.wasm.mark();
    const got = fit(settled, roles, { estimators: IDS, core });
    expect(summary(got)).toEqual(summary(fit(sim.data, sim.roles, { estimators: IDS, core: createCore() })));
    // The arena's peak over an ols fit stays far below a copy of the data (one would be placed first).
    core.peak = top;
    fit(settled, roles, { estimators: ["ols"], core });
    expect(core.peak - top).toBeGreaterThan(0);
    expect(core.peak - top).toBeLessThan(n * 8 * 10);
    expect(core.wasm.mark()).toBe(top);
  });

  it("sample 1 of two-sample data: tsls and tsls_lasso read its rows of G inside the placed matrix (no copy of them)", () => {
    const two = simulate("study", { n: 2000, L: 20, two_sample: true, seed: 9 });
    const core = createCore();
    const copies = countCopies(core);
    const rows = fit(two.data, two.roles, { estimators: ["tsls", "tsls_lasso"], core });
    expect(rows.map((r) => r.status)).toEqual(["ok", "ok"]);
    expect(copies.doubles).toBeLessThan(two.data.n);
    // The same estimates as on sample 1 alone, given as one-sample data.
    const s = two.data.columns[two.data.names.indexOf(two.roles.sample as string)] as Float64Array;
    const first = frame(
      two.data.names.map(
        (name, j) => [name, (two.data.columns[j] as Float64Array).filter((_, i) => s[i] === 1)] as const,
      ),
    );
    const alone = fit(
      first,
      { ...two.roles, sample: undefined },
      { estimators: ["tsls", "tsls_lasso"], core: createCore() },
    );
    expect(summary(rows)).toEqual(summary(alone));
  });
});
