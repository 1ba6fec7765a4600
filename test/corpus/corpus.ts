import type { CorpusCase } from "./case.js";
import { fitCases } from "./fit-cases.js";
import { flagCases } from "./flag-cases.js";
import { mrCases } from "./mr-cases.js";
import { sweepCases } from "./sweep-cases.js";

/**
 * Categories whose refusal is not implemented yet on this branch: their cases still run and their
 * outcomes are printed, but not asserted. Empty it as the refusals land.
 */
export const PENDING: readonly string[] = [];

/**
 * The corpus of malformed inputs: fit files, mr files, sweep configurations and command lines,
 * each case seeded by its id (seedrandom), so the corpus is the same on every run and machine.
 */
export function corpus(): CorpusCase[] {
  const all = [...fitCases(), ...mrCases(), ...sweepCases(), ...flagCases()];
  const ids = new Set(all.map((c) => c.id));
  if (ids.size !== all.length) throw new Error("corpus: case ids must be unique");
  return all;
}
