import { defineConfig } from "vitest/config";

// Tests that spawn the CLI several times, or run a small sweep, must hold on a loaded 2-core CI
// machine: one generous limit for every test and hook (a limit that is hit is a hang, not a speed
// assertion; speed lives in bench/).
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
