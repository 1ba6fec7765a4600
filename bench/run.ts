import { parseArgs } from "node:util";
import { benchDeepCnn } from "./deep-cnn.js";
import { benchEncoder } from "./encoder.js";
import { benchEta } from "./eta.js";
import { benchExternal } from "./external.js";
import { benchFitVsSweep } from "./fit-vs-sweep.js";
import { benchFits } from "./fits.js";
import { benchInvRepr } from "./inv-repr.js";
import { benchInvarianceQuick } from "./invariance-quick.js";
import { benchKernels, kernelTable } from "./kernels.js";
import { benchLasso } from "./lasso.js";
import { benchNn } from "./nn.js";
import { benchConv } from "./nn-conv.js";
import { benchReadCsv } from "./read-csv.js";
import { benchRng } from "./rng.js";
import { benchStartup } from "./startup.js";
import { benchSweep } from "./sweep.js";

/**
 * `npm run bench`: ratios within one run (the machine is shared, so absolute times are noisy).
 * `npm run bench -- --sweep-only --sizes 2000,30000 --rounds 2` times only the sweep pairs, at
 * other sizes or rounds (defaults: 2000 and 10,000 replicates, 3 rounds).
 * `npm run bench -- --startup-only` measures only the start-up section (CPU time of `mrsweep --help`
 * and of a small `mrsweep fit` against a bare `node -e 0`).
 * `npm run bench -- --eta-only [--record]` runs the quick preset once and reports how far the live
 * ETA was from the truth (`--record` rewrites the recording test/ui/eta.test.ts replays).
 * `npm run bench -- --invariance-only` runs only the inv_repr training step against PyTorch and the
 * whole invariance-quick preset.
 * `npm run bench -- --deep-cnn-only` runs only the Deep MR CNN's training step against PyTorch.
 * `npm run bench -- --external-only` runs only the external-estimator protocol's overhead (Python, n = 5000, L = 15).
 * `npm run bench -- --read-only [--read-rows N]` runs only CSV reading (n = 200,000 x 100 columns,
 * plain and gzipped) against pandas.read_csv.
 * `npm run bench -- --fit-vs-sweep [--fit-n N --fit-L L --rounds R]` runs only `fit --estimators
 * ols,tsls,tsls_lasso` on a simulated CSV and its PLINK twin (default n = 100,000, L = 100) against
 * the same cell as a one-replicate sweep: wall time ratio, peak RSS over the numeric data.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "sweep-only": { type: "boolean", default: false },
      "startup-only": { type: "boolean", default: false },
      "eta-only": { type: "boolean", default: false },
      "invariance-only": { type: "boolean", default: false },
      "deep-cnn-only": { type: "boolean", default: false },
      "external-only": { type: "boolean", default: false },
      "read-only": { type: "boolean", default: false },
      "read-rows": { type: "string", default: "200000" },
      "fit-vs-sweep": { type: "boolean", default: false },
      "fit-n": { type: "string", default: "100000" },
      "fit-L": { type: "string", default: "100" },
      record: { type: "boolean", default: false },
      sizes: { type: "string", default: "2000,10000" },
      rounds: { type: "string", default: "3" },
    },
  });
  const sizes = values.sizes.split(",").map(Number);
  const rounds = Number(values.rounds);
  if (sizes.some((n) => !Number.isInteger(n) || n < 100) || !Number.isInteger(rounds) || rounds < 1) {
    throw new Error(
      `bench: --sizes must list integers >= 100 and --rounds be an integer >= 1; got ${values.sizes} and ${values.rounds}`,
    );
  }
  console.log(`mrsweep bench — node ${process.version}, ${new Date().toISOString()}\n`);
  if (values["eta-only"]) return void console.log(await benchEta(values.record));
  if (values["deep-cnn-only"]) return void console.log(benchDeepCnn());
  if (values["external-only"]) return void console.log(benchExternal());
  if (values["read-only"]) return void console.log(await benchReadCsv(Number(values["read-rows"])));
  if (values["fit-vs-sweep"])
    return void console.log(await benchFitVsSweep(Number(values["fit-n"]), Number(values["fit-L"]), rounds));
  if (values["invariance-only"]) return void console.log(`${benchInvRepr()}\n\n${await benchInvarianceQuick()}`);
  console.log(benchStartup());
  if (values["startup-only"]) return;
  console.log("");
  console.log(await benchSweep(sizes, rounds));
  if (values["sweep-only"]) return;
  console.log("");
  console.log(await benchEta(false));
  console.log("");
  console.log(kernelTable(benchKernels([1000, 5000, 20000])));
  console.log("");
  console.log(benchRng());
  console.log("");
  console.log(benchFits(20000, 50));
  console.log(benchFits(5000, 15));
  console.log("");
  console.log(benchEncoder([5000, 20000]));
  console.log("");
  console.log(benchConv(64));
  console.log("");
  console.log(benchNn());
  console.log("");
  console.log(benchInvRepr());
  console.log("");
  console.log(await benchInvarianceQuick());
  console.log("");
  console.log(benchDeepCnn());
  console.log("");
  console.log(benchExternal());
  console.log("");
  console.log(await benchReadCsv(Number(values["read-rows"]), false));
  console.log("");
  console.log(await benchFitVsSweep(Number(values["fit-n"]), Number(values["fit-L"]), rounds));
  console.log("");
  console.log(
    benchLasso([
      [5000, 15],
      [20000, 50],
    ]),
  );
}

await main();
