import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assertClose } from "../helpers/assert-close.js";
import { byEstimator, example, HAS_R, replicateRecords } from "../helpers/external.js";
import { configFile, spawnCli } from "../helpers/sweep.js";

/** Runs an example configuration as a user would (3 replicates), from another folder than its own. */
async function runExample(name: string, external: string): Promise<void> {
  const { dir } = configFile({});
  const r = await spawnCli([
    "sweep",
    "--config",
    example(name),
    "--replicates",
    "3",
    "--out",
    dir,
    "--quiet",
    "--no-plots",
  ]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const records = await replicateRecords(dir);
  const tsls = byEstimator(records, "tsls");
  const rows = byEstimator(records, external);
  expect(rows.map((x) => x.status)).toEqual(["ok", "ok", "ok"]);
  assertClose(
    rows.map((x) => Number(x.estimate)),
    tsls.map((x) => Number(x.estimate)),
    { rtol: 1e-10 },
    `${external} estimate`,
  );
  const run = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
  const script = external.startsWith("py") ? "tsls.py" : "tsls.R";
  expect(run.external[0]).toMatchObject({ name: external, cwd: join(example("")).replace(/\/$/, "") });
  expect(run.external[0].files[script]).toMatch(/^[0-9a-f]{16}$/);
}

describe("examples/external", () => {
  it("python-tsls.json runs end to end (its script found beside the configuration; run.json hashes it)", async () => {
    await runExample("python-tsls.json", "py_tsls");
  }, 180_000);

  it.skipIf(!HAS_R)(
    `r-tsls.json runs end to end${HAS_R ? "" : " — skipped: Rscript is not on the PATH"}`,
    async () => {
      await runExample("r-tsls.json", "r_tsls");
    },
    180_000,
  );
});
