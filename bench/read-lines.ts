import { readFileSync } from "node:fs";
import { getCore } from "../src/core/load.js";
import type { Core } from "../src/core/memory.js";
import { LineKernel } from "../src/io/line-kernel.js";

/** CPU seconds of this process. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * CPU seconds of the core's line kernel alone (assembly/io/read-lines.ts) on the data lines of a
 * plain CSV file already in memory, every column wanted, into one block of columns in the core:
 * the copies of the bytes into the core's window included, file reading and the TypeScript
 * reader around it excluded; best of three runs. Throws unless every line was taken.
 */
export function kernelSeconds(file: string, rows: number, scalar = false): number {
  const core = getCore();
  const bytes = readFileSync(file);
  // Best of three: the first run also pays for touching the columns' fresh pages.
  return Math.min(...[0, 1, 2].map(() => core.scoped(runKernel, core, bytes, rows, scalar)));
}

function runKernel(core: Core, bytes: Buffer, rows: number, scalar: boolean): number {
  const from = bytes.indexOf(0x0a) + 1;
  const width = bytes.subarray(0, from).toString().split(",").length;
  const ptr = core.alloc(width * rows);
  const kernel = LineKernel.for(
    core,
    0x2c,
    Int32Array.from({ length: width }, (_, j) => j),
    scalar,
  ) as LineKernel;
  const t0 = cpuSeconds();
  kernel.begin();
  const stop = kernel.run(bytes, from, bytes.length, { ptr, stride: rows, row0: 0, maxRows: rows });
  const s = cpuSeconds() - t0;
  if (stop !== bytes.length || kernel.rows !== rows) throw new Error(`bench: the kernel took ${kernel.rows} rows`);
  return s;
}
