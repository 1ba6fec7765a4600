import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/fixtures.js";

describe("the WASM core", () => {
  it("never allocates through the AssemblyScript runtime (its heap would overlap the arena)", () => {
    const wat = readFileSync(`${ROOT}/build/mrsweep.debug.wat`, "utf8");
    expect(wat).toMatch(/\(func \$assembly\/arena\/alloc/);
    expect(wat).not.toMatch(/~lib\/rt\/stub\/__(new|alloc|renew)/);
  });
});
