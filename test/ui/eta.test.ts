import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { etaAccuracy, type TimedEvent } from "../../src/ui/eta-check.js";
import { fixturePath } from "../helpers/fixtures.js";

/**
 * The live ETA against the time that really remained, on a recorded run of the quick preset
 * (every start/task/end event with its time; made by `npm run bench -- --eta-only --record`,
 * see test/fixtures/progress/README.md).
 */
describe("the ETA of a recorded quick-preset run", () => {
  it("is within 30% of the true remaining time (1 s in the last second) from 20% of the tasks on", () => {
    const events = JSON.parse(readFileSync(fixturePath("progress", "quick-events.json"), "utf8")) as TimedEvent[];
    const a = etaAccuracy(events, 0.2);
    expect(a.checks).toBeGreaterThan(900);
    expect(a.worst, `worst error at ${(100 * a.worstAt).toFixed(1)}% of tasks`).toBeLessThanOrEqual(0.3);
  });
});
