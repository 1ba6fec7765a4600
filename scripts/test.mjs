// Runs vitest with its JSON reporter next to the default one, then prints the closing line CI
// reads, "N passed, N failed", and exits non-zero when anything failed or vitest itself did.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";

const report = ".vitest-report.json";
rmSync(report, { force: true });
const args = [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
];
const run = spawnSync("npx", args, { stdio: "inherit" });
if (!existsSync(report)) {
  console.log("0 passed, 1 failed");
  process.exit(run.status || 1);
}
const r = JSON.parse(readFileSync(report, "utf8"));
// A file that fails to load has no failed test of its own: count it as one failure.
const brokenFiles = r.testResults.filter(
  (f) => f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed"),
).length;
const failed = r.numFailedTests + brokenFiles;
const skipped = r.numPendingTests + r.numTodoTests;
console.log(`${r.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || run.status !== 0 || r.numPassedTests === 0 ? 1 : 0);
