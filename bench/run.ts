import { benchFits } from "./fits.js";
import { benchKernels, kernelTable } from "./kernels.js";
import { benchLasso } from "./lasso.js";
import { benchMlp } from "./mlp.js";
import { benchRng } from "./rng.js";
import { benchSweep } from "./sweep.js";

/** `npm run bench`: ratios within one run (the machine is shared, so absolute times are noisy). */
async function main(): Promise<void> {
  console.log(`mrsweep bench — node ${process.version}, ${new Date().toISOString()}\n`);
  console.log(await benchSweep());
  console.log("");
  console.log(kernelTable(benchKernels([1000, 5000, 20000])));
  console.log("");
  console.log(benchRng());
  console.log("");
  console.log(benchFits(20000, 50));
  console.log(benchFits(5000, 15));
  console.log("");
  console.log(benchMlp([5000, 20000]));
  console.log("");
  console.log(
    benchLasso([
      [5000, 15],
      [20000, 50],
    ]),
  );
}

await main();
