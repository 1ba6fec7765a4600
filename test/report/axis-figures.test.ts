import { describe, expect, it } from "vitest";
import { figures } from "../../src/report/figures.js";
import { MEASURE_PLOTS, measureVsAxis } from "../../src/report/measures.js";
import { plottedAxes, type SummaryRow, summaryRows } from "../../src/report/summary-rows.js";
import { parseSweepConfig } from "../../src/sweep/config.js";
import { readCsv } from "../../src/sweep/outputs.js";
import { fixturePath } from "../helpers/fixtures.js";
import { fixtureConfig } from "../helpers/report-fixture.js";

const config = fixtureConfig();
const AXES = ["theta_mean", "pleiotropic_fraction"];

async function fixture() {
  const summary = await readCsv(fixturePath("report", "summary.csv"));
  const replicates = await readCsv(fixturePath("report", "replicates.csv"));
  return { summary, replicates, rows: summaryRows(summary, AXES) };
}

interface Point {
  cell_id: string;
  estimator: string;
  column: string;
  value: number;
  mcse: number;
  x: number;
  panel: string;
  [axis: string]: unknown;
}
interface Faceted {
  data: { values: Point[] };
  facet: { sort: string[] };
  spec: { layer: Array<{ encoding: { color?: { scale: { domain: string[] } } } }> };
}

/** The summary.csv text of `column` in the row of `cell` and `estimator`. */
function cellText(summary: string[][], cell: string, estimator: string, column: string): string {
  const head = summary[0] as string[];
  const row = summary.find((r) => r[0] === cell && r[head.indexOf("estimator")] === estimator);
  return (row as string[])[head.indexOf(column)] as string;
}

describe("figures against each grid axis", () => {
  it("a grid over theta_mean and pleiotropic_fraction gets bias, SE, coverage and rejection against each axis", async () => {
    const { summary, replicates, rows } = await fixture();
    const files = figures(config, rows, replicates, summary[0] as string[]).figures.map((f) => f.file);
    for (const axis of AXES)
      for (const key of ["bias", "se", "coverage", "rejection"]) expect(files).toContain(`${key}-vs-${axis}.svg`);
    expect(files.filter((f) => f.startsWith("mse-vs"))).toEqual([]);
  });

  it("has one panel per value of the other axis, and every drawn number is summary.csv's", async () => {
    const { summary, replicates, rows } = await fixture();
    const made = figures(config, rows, replicates, summary[0] as string[]).figures;
    const panels = {
      theta_mean: ["pleiotropic_fraction = 0.5", "pleiotropic_fraction = 1"],
      pleiotropic_fraction: ["theta_mean = 0", "theta_mean = 0.05", "theta_mean = 0.1"],
    };
    for (const [axis, expected] of Object.entries(panels)) {
      for (const key of ["bias", "coverage", "rejection"]) {
        const spec = made.find((f) => f.file === `${key}-vs-${axis}.svg`)?.spec as unknown as Faceted;
        expect(spec.facet.sort, `${key}-vs-${axis}`).toEqual(expected);
        expect(new Set(spec.data.values.map((v) => v.panel))).toEqual(new Set(expected));
        for (const v of spec.data.values) {
          expect(v.value, `${v.cell_id} ${v.estimator}`).toBe(Number(cellText(summary, v.cell_id, v.estimator, key)));
          expect(v.mcse).toBe(Number(cellText(summary, v.cell_id, v.estimator, `${key}_mcse`)));
          for (const a of AXES) expect(v[a]).toBe(cellText(summary, v.cell_id, v.estimator, a));
        }
        // Every row with a number to draw is drawn (coverage: confidence intervals only).
        const expectedRows = rows.filter(
          (r) => Number.isFinite(r.m[key]) && (key !== "coverage" || r.estimator !== "ctx_tsls_resplit"),
        );
        expect(spec.data.values.length).toBe(expectedRows.length);
      }
    }
  });

  it("legends list only the drawn estimators; coverage leaves out an interval that is not a confidence interval", async () => {
    const { summary, replicates, rows } = await fixture();
    const made = figures(config, rows, replicates, summary[0] as string[]).figures;
    const legend = (file: string) => {
      const spec = made.find((f) => f.file === file)?.spec as unknown as Faceted;
      const domains = spec.spec.layer.flatMap((l) => (l.encoding.color ? [l.encoding.color.scale.domain] : []));
      expect(new Set(domains.map((d) => d.join()))).toEqual(new Set([domains[0]?.join()]));
      expect([...new Set(spec.data.values.map((v) => v.estimator))].sort()).toEqual([...(domains[0] ?? [])].sort());
      return domains[0];
    };
    expect(legend("bias-vs-theta_mean.svg")).toEqual(["ols", "tsls", "tsls_lasso", "ctx_tsls_resplit"]);
    expect(legend("coverage-vs-theta_mean.svg")).toEqual(["ols", "tsls", "tsls_lasso"]);
    expect(legend("rejection-vs-pleiotropic_fraction.svg")).toEqual(["ols", "tsls", "tsls_lasso"]);
    expect(cellText(summary, "c001", "ctx_tsls_resplit", "coverage")).toBe("0.63");
  });

  it("moves each estimator's points sideways, and each measure, so equal values (tsls and tsls_lasso's bias) do not hide one another", async () => {
    const { summary, replicates, rows } = await fixture();
    const made = figures(config, rows, replicates, summary[0] as string[]).figures;
    const bias = made.find((f) => f.file === "bias-vs-theta_mean.svg")?.spec as unknown as Faceted;
    const at = (e: string) => bias.data.values.filter((v) => v.estimator === e && v.cell_id === "c001")[0] as Point;
    expect(at("tsls").value).toBe(at("tsls_lasso").value);
    expect(at("tsls").x).not.toBe(at("tsls_lasso").x);
    const places = bias.data.values.map((v) => `${v.panel} ${v.x}`);
    expect(new Set(places).size).toBe(places.length);
    // The SE figure's two measures of one estimator sit apart too (tsls: model SE = empirical SE in the fixture).
    const se = made.find((f) => f.file === "se-vs-theta_mean.svg")?.spec as unknown as Faceted;
    const tsls = se.data.values.filter((v) => v.estimator === "tsls" && v.cell_id === "c001");
    expect(tsls.map((v) => v.column)).toEqual(["emp_se", "model_se"]);
    expect(tsls[0]?.value).toBe(tsls[1]?.value);
    expect(tsls[0]?.x).not.toBe(tsls[1]?.x);
    const sePlaces = se.data.values.map((v) => `${v.panel} ${v.x}`);
    expect(new Set(sePlaces).size).toBe(sePlaces.length);
  });

  it("draws numbers on a numeric scale, log when they span 10x, and booleans in order", () => {
    const grid = parseSweepConfig({
      dgp: "study",
      grid: { n: [1000, 3000, 10000], theta_mean: [0, 0.1], context: [false, true] },
      replicates: 2,
      seed: 1,
      estimators: ["ols"],
    });
    const rows: SummaryRow[] = [];
    for (const n of ["1000", "3000", "10000"])
      for (const t of ["0", "0.1"])
        for (const c of ["false", "true"])
          rows.push({
            cell: `c${rows.length}`,
            values: { n, theta_mean: t, context: c },
            estimator: "ols",
            interval: "exact",
            m: { bias: 0.1, bias_mcse: 0.01 },
            best: true,
          });
    // A partial run with only n = 1000 done has no n axis to draw.
    expect(plottedAxes(grid, rows.slice(0, 4)).map((a) => a.name)).toEqual(["theta_mean", "context"]);
    const axes = plottedAxes(grid, rows);
    expect(axes.map((a) => [a.name, a.numeric, a.log])).toEqual([
      ["n", true, true],
      ["theta_mean", true, false],
      ["context", false, false],
    ]);
    const x = (axis: number) => {
      const spec = measureVsAxis(MEASURE_PLOTS[0] as never, rows, axes[axis] as never, [], ["ols"]) as {
        layer: Array<{ encoding: { x: { scale: { type?: string }; axis: { values: number[]; labelExpr?: string } } } }>;
      };
      return spec.layer[0]?.encoding.x;
    };
    expect(x(0)?.scale.type).toBe("log");
    expect(x(0)?.axis.values).toEqual([1000, 3000, 10000]);
    expect(x(1)?.scale.type).toBe("linear");
    expect(x(2)?.axis.labelExpr).toBe('["false","true"][datum.value]');
  });

  it("an older summary.csv without interval or model_se skips the coverage and SE figures and says why", async () => {
    const { summary, replicates } = await fixture();
    const head = summary[0] as string[];
    const keep = head
      .map((_, i) => i)
      .filter((i) => !["interval", "model_se", "model_se_mcse"].includes(head[i] as string));
    const old = summary.map((r) => keep.map((i) => r[i] as string));
    const made = figures(config, summaryRows(old, AXES), replicates, old[0] as string[]);
    const files = made.figures.map((f) => f.file);
    expect(files).toContain("bias-vs-theta_mean.svg");
    expect(files).toContain("rejection-vs-theta_mean.svg");
    expect(files.filter((f) => /^(se|coverage)-/.test(f))).toEqual([]);
    expect(made.skipped.join("\n")).toMatch(/se-vs-\*\.svg: summary.csv has no model_se, model_se_mcse column/);
    expect(made.skipped.join("\n")).toMatch(/coverage-vs-\*\.svg: summary.csv has no interval column/);
  });
});
