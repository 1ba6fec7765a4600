import { describe, expect, it } from "vitest";
import { assertClose } from "../helpers/assert-close.js";
import { byEstimator, example, HAS_AER, HAS_R, PYTHON, replicateRecords } from "../helpers/external.js";
import { configFile, spawnCli } from "../helpers/sweep.js";

const REPLICATES = 6;

/** A sweep of the built-in tsls and external 2SLS estimators on the same datasets. */
function tslsConfig(external: Record<string, unknown>[]): Record<string, unknown> {
  return {
    dgp: "study",
    params: { n: 400, L: 6, pi_scale: 0.3 },
    replicates: REPLICATES,
    seed: 3,
    estimators: ["tsls", ...external.map((e) => ({ id: "external", ...e }))],
  };
}

/** Runs the sweep on 2 threads; every external row must equal tsls's to 1e-10 (estimate, se, first-stage F, and `also`). */
async function expectTsls(config: Record<string, unknown>, names: readonly string[], also: readonly string[] = []) {
  const { dir, file } = configFile(config);
  const r = await spawnCli(["sweep", "--config", file, "--out", dir, "--threads", "2", "--quiet", "--no-plots"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const records = await replicateRecords(dir);
  const tsls = byEstimator(records, "tsls");
  expect(tsls).toHaveLength(REPLICATES);
  for (const name of names) {
    const rows = byEstimator(records, name);
    expect(rows.map((x) => x.status)).toEqual(tsls.map(() => "ok"));
    for (const key of ["estimate", "se", "first_stage_f", ...also]) {
      assertClose(
        rows.map((x) => Number(x[key])),
        tsls.map((x) => Number(x[key])),
        { rtol: 1e-10 },
        `${name} ${key}`,
      );
    }
  }
}

describe("external 2SLS estimators against the built-in tsls", () => {
  it("Python (standard library): every replicate's estimate, SE and first-stage F to 1e-10", async () => {
    const py = { name: "py_tsls", params: { command: [PYTHON, example("tsls.py")], extras: ["first_stage_f"] } };
    await expectTsls(tslsConfig([py]), ["py_tsls"]);
  }, 180_000);

  it.skipIf(!HAS_R)(
    `R (base${HAS_AER ? ", and AER::ivreg" : ""}): estimate, SE, first-stage F, CI and p to 1e-10${HAS_R ? "" : " — skipped: Rscript is not on the PATH"}`,
    async () => {
      const r = (name: string, args: string[]) => ({
        name,
        params: { command: ["Rscript", example("tsls.R"), ...args], extras: ["first_stage_f"] },
      });
      const external = [r("r_tsls", []), ...(HAS_AER ? [r("r_ivreg", ["aer"])] : [])];
      await expectTsls(
        tslsConfig(external),
        external.map((e) => e.name),
        ["ci_lower", "ci_upper", "p_value"],
      );
    },
    240_000,
  );
});
