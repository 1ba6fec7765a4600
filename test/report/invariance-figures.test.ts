import { describe, expect, it } from "vitest";
import { figures } from "../../src/report/figures.js";
import { BIAS_FIGURE, invarianceFigures, LATENT_R2_FIGURE } from "../../src/report/invariance.js";
import { toSvg } from "../../src/report/render.js";
import { summaryRows } from "../../src/report/summary-rows.js";
import { parseSweepConfig } from "../../src/sweep/config.js";
import { readCsv } from "../../src/sweep/outputs.js";
import { intervalsOf } from "../../src/sweep/replicates.js";
import { summarize } from "../../src/sweep/summary.js";
import { fixturePath } from "../helpers/fixtures.js";
import { fixtureConfig } from "../helpers/report-fixture.js";

/** The configuration test/fixtures/invariance-report/ was made for. */
const config = parseSweepConfig({
  dgp: "invariance",
  params: { theta: 0.5 },
  grid: { mixing: ["linear", "poly2"] },
  replicates: 3,
  estimators: ["tsls_z", "oracle_tsls_w", "inv_linear"],
  seed: 1,
});
const PANELS = ["mixing = linear", "mixing = poly2"];

interface Encoded {
  field?: string;
  sort?: string[];
  datum?: number;
  scale?: { domain: string[] };
}
interface Layer {
  mark: Record<string, unknown>;
  encoding: Record<string, Encoded>;
}
interface Faceted {
  data: { values: Array<Record<string, unknown>> };
  facet: { sort?: string[]; column?: { sort: string[] }; row?: { sort: string[] } };
  spec: Record<string, unknown>;
}

async function fixture() {
  const replicates = await readCsv(fixturePath("invariance-report", "replicates.csv"));
  const summary = summarize(replicates, ["mixing"], intervalsOf(config));
  return { replicates, summary, rows: summaryRows(summary, ["mixing"]) };
}

/** The fixture's rows by column name. */
function records(table: string[][]): Array<Record<string, string>> {
  const [head = [], ...rows] = table;
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] as string])));
}

async function made() {
  const { replicates, summary, rows } = await fixture();
  const all = figures(config, rows, replicates, summary[0] as string[]);
  const spec = (file: string) => all.figures.find((f) => f.file === file)?.spec as unknown as Faceted;
  return { replicates, summary, all, bias: spec(BIAS_FIGURE), latent: spec(LATENT_R2_FIGURE) };
}

describe("invariance figures", () => {
  it("an invariance run gets the bias boxplots and the latent R² beside the usual figures; a study run does not", async () => {
    const { all } = await made();
    const files = all.figures.map((f) => f.file);
    expect(files).toContain(BIAS_FIGURE);
    expect(files).toContain(LATENT_R2_FIGURE);
    expect(files).toContain("bias-vs-mixing.svg");
    // The study's first-stage MSE groups (by tsls/lasso in the id) would misfile liml_z, Egger and inv_linear as one-stage.
    expect(files.filter((f) => /^mse-(one-stage|ols-first-stage|lasso-first-stage)/.test(f))).toEqual([]);
    const study = fixtureConfig();
    const studyReps = await readCsv(fixturePath("report", "replicates.csv"));
    const studySummary = await readCsv(fixturePath("report", "summary.csv"));
    const axes = study.grid.map(([k]) => k);
    const other = figures(study, summaryRows(studySummary, axes), studyReps, studySummary[0] as string[]);
    expect(other.figures.map((f) => f.file).filter((f) => f.startsWith("invariance-"))).toEqual([]);
  });

  it("draws estimate − beta_true of every replicate with status ok and an estimate, a panel per mixing; per estimator and cell their mean is summary.csv's bias", async () => {
    const { replicates, summary, bias } = await made();
    const want = records(replicates)
      .filter((r) => r.status === "ok" && r.estimate !== "NA")
      .map((r) => ({
        panel: `mixing = ${r.mixing}`,
        cell_id: r.cell_id,
        estimator: r.estimator,
        bias: Number(r.estimate) - Number(r.beta_true),
      }));
    expect(bias.data.values).toEqual(want);
    // The weak oracle fit and the failed inv_linear are left out; the outlier (25.5) stays in the data.
    expect(want).toHaveLength(16);
    expect(want.some((p) => p.bias === 25)).toBe(true);
    expect(bias.facet.sort).toEqual(PANELS);
    for (const s of records(summary)) {
      const mine = want.filter((p) => p.cell_id === s.cell_id && p.estimator === s.estimator);
      expect(mine.length, `${s.cell_id} ${s.estimator}`).toBe(Number(s.n_ok));
      const mean = mine.reduce((a, p) => a + p.bias, 0) / mine.length;
      expect(Math.abs(mean - Number(s.bias)), `${s.cell_id} ${s.estimator}`).toBeLessThan(1e-12);
    }
  });

  it("boxes per estimator in the configuration's order and colours, outliers not drawn, a line at no bias", async () => {
    const { bias } = await made();
    const [box, rule] = bias.spec.layer as Layer[];
    expect(box?.mark.type).toBe("boxplot");
    expect(box?.mark.outliers).toBe(false);
    expect(box?.encoding.x?.sort).toEqual(["tsls_z", "oracle_tsls_w", "inv_linear"]);
    expect(box?.encoding.color?.scale?.domain).toEqual(["tsls_z", "oracle_tsls_w", "inv_linear"]);
    expect(box?.encoding.y?.field).toBe("bias");
    expect(rule?.encoding.y).toEqual({ datum: 0 });
  });

  it("latent R²: latent_r2_w and latent_r2_v of the replicates with status ok that report them, a column per mixing and a row per estimator", async () => {
    const { replicates, latent } = await made();
    const rows = records(replicates).filter((r) => r.status === "ok" && r.latent_r2_w !== "NA");
    const want = [
      ...rows.map((r) => ({
        panel: `mixing = ${r.mixing}`,
        cell_id: r.cell_id,
        estimator: r.estimator,
        latent: "W-hat on W",
        r2: Number(r.latent_r2_w),
      })),
      ...rows.map((r) => ({
        panel: `mixing = ${r.mixing}`,
        cell_id: r.cell_id,
        estimator: r.estimator,
        latent: "V-hat on V",
        r2: Number(r.latent_r2_v),
      })),
    ];
    expect(latent.data.values).toEqual(want);
    expect(want).toHaveLength(10);
    expect(latent.facet.column?.sort).toEqual(PANELS);
    expect(latent.facet.row?.sort).toEqual(["inv_linear"]);
  });

  it("a run whose estimators report no latent R² gets the bias figure and says why the latent R² is missing", async () => {
    const { replicates } = await fixture();
    const head = replicates[0] as string[];
    const keep = head.map((_, i) => i).filter((i) => !(head[i] as string).startsWith("latent_r2"));
    const without = replicates.map((r) => keep.map((i) => r[i] as string));
    const got = invarianceFigures(config, without);
    expect(got.figures.map((f) => f.file)).toEqual([BIAS_FIGURE]);
    expect(got.skipped).toEqual([`${LATENT_R2_FIGURE}: no estimator reports latent_r2_w or latent_r2_v`]);
  });

  it("both render to SVG with a panel title per mixing; the bias figure has one dashed no-bias line per panel, not one per replicate", async () => {
    const { bias, latent } = await made();
    const svgs: string[] = [];
    for (const spec of [bias, latent]) {
      const svg = await toSvg(spec as never);
      for (const p of PANELS) expect(svg).toContain(p);
      svgs.push(svg);
    }
    expect(svgs[0]?.match(/stroke-dasharray="4,4"/g)).toHaveLength(PANELS.length);
  }, 60_000);
});
