import { join } from "node:path";
import { fit } from "../estimators/fit.js";
import { checkWritable } from "../io/writable.js";
import { writeFrame, writeJson, writeText } from "../io/write-table.js";
import { simulate } from "../sim/simulate.js";
import { helpText, parseCommand } from "./args.js";
import { estimateJson, estimateTable } from "./format.js";
import { metaPath } from "./simulate.js";

const USAGE = helpText(
  "mrsweep demo [--out results/demo]",
  "Simulates the study's default dataset with context (n = 5000, L = 15, seed 7), fits OLS and 2SLS, and writes\ndata.csv, data.meta.json and estimates.json into the output folder.",
  [
    ["--out DIR", "output folder (default results/demo)"],
    ["-h, --help", "show this help"],
  ],
);

/** `mrsweep demo` (what `npm start` runs): simulate one study dataset and fit the baselines. */
export async function demoCommand(argv: readonly string[]): Promise<void> {
  const { values } = parseCommand("demo", argv, {
    out: { type: "string", default: join("results", "demo") },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const dir = values.out as string;
  const csv = join(dir, "data.csv");
  const estimates = join(dir, "estimates.json");
  for (const path of [csv, metaPath(csv), estimates]) checkWritable("demo", path);
  const sim = simulate("study", { context: true });
  await writeFrame(csv, sim.data, "demo");
  writeJson(metaPath(csv), { ...sim.meta, roles: sim.roles, rows: sim.data.n, file: csv }, "demo");
  const rows = fit(sim.data, sim.roles, { estimators: ["ols", "tsls"] });
  writeText(estimates, estimateJson(rows), "demo");
  process.stdout.write(
    `Simulated the study DGP (n = ${sim.data.n}, L = ${sim.roles.instruments.length}, context, seed ${sim.meta.seed}); true beta = ${sim.meta.beta_true}\n`,
  );
  process.stdout.write(estimateTable(rows));
  process.stdout.write(`Wrote ${csv}, ${metaPath(csv)} and ${estimates}\n`);
}
