import { describe, expect, it } from "vitest";
import { canonicalKeys, taskKey } from "../../src/sweep/replicates.js";

describe("canonical task order", () => {
  it("sorts task keys by cell, then replicate, as numbers (not as text)", () => {
    const keys = [taskKey(10, 2), taskKey(2, 10), taskKey(2, 9), taskKey(0, 100), taskKey(10, 1), taskKey(0, 11)];
    expect(canonicalKeys(keys)).toEqual(["0:11", "0:100", "2:9", "2:10", "10:1", "10:2"]);
  });
});
