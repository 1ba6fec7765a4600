import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { compileCore } from "../core/load.js";
import type { SweepSetup } from "./messages.js";

/** The compiled worker module: beside this file in dist/, or in dist/ when running from src/ (tests). */
function workerFile(): string {
  const sibling = fileURLToPath(new URL("./worker.js", import.meta.url));
  return existsSync(sibling) ? sibling : fileURLToPath(new URL("../../dist/sweep/worker.js", import.meta.url));
}

/** A pool of exactly `threads` workers, each given the WASM module compiled once here and the sweep's setup. */
export function createPool(threads: number, setup: SweepSetup): Piscina {
  return new Piscina({
    filename: workerFile(),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    workerData: { module: compileCore("release"), setup },
  });
}
