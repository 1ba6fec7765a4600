// Module loader hooks (node:module register) that append every URL loaded to the file named by
// MRSWEEP_LOAD_TRACE: for the test that start-up loads only what a command needs. CommonJS
// packages show up as the URL of their entry, loaded through this hook by the importing ES module.
import { appendFileSync } from "node:fs";

export async function load(url, context, nextLoad) {
  appendFileSync(process.env.MRSWEEP_LOAD_TRACE, `${url}\n`);
  return nextLoad(url, context);
}
