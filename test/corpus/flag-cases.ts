import { type CorpusCase, cases, type Draw, render } from "./case.js";
import { fitBase } from "./fit-cases.js";
import { sweepArgs, sweepBase } from "./sweep-cases.js";

const COMMANDS = ["fit", "mr", "sweep", "plot", "summarize", "status", "simulate", "demo", "reproduce"];

type Made = Omit<CorpusCase, "id" | "category">;

/** A valid fit file beside the command line `argv`. */
function withData(d: Draw, argv: readonly string[]): Made {
  return { files: { "data.csv": render(fitBase(d)) }, argv };
}

/** A valid sweep configuration, run with `extra` flags. */
function withConfig(d: Draw, extra: readonly string[]): Made {
  return { files: { "config.json": JSON.stringify(sweepBase(d)) }, argv: sweepArgs(extra) };
}

/** Every category of malformed command line. */
export function flagCases(): CorpusCase[] {
  return [
    ...cases("flags/unknown-command", 20, (d) => ({
      files: {},
      argv: [
        d.pick(["fitt", "Fit", "FIT", "sweeps", "--fit", "-x", "run", "plots", "mr2", "", "version", "--verbose"]),
      ],
    })),
    ...cases("flags/unknown-flag", 30, (d) => {
      const command = d.pick(COMMANDS);
      const flag = d.pick(["--bogus", "--Out", "-z", "--threads=2", "--no-such", "--jsn"]);
      const okFlag = command === "sweep" && flag === "--threads=2" ? "--bogus" : flag;
      return { files: {}, argv: [command, okFlag, ...(command === "simulate" ? ["--out", "$DIR/sim.csv"] : [])] };
    }),
    ...cases("flags/missing-value", 25, (d) => {
      const [command, flag] = d.pick<[string, string]>([
        ["fit", "--exposure"],
        ["fit", "--estimators"],
        ["fit", "--instruments"],
        ["mr", "--convention"],
        ["mr", "--bx"],
        ["sweep", "--config"],
        ["sweep", "--threads"],
        ["sweep", "--replicates"],
        ["simulate", "--out"],
        ["plot", "--data"],
        ["reproduce", "--n"],
      ]);
      const { files } = withData(d, []);
      return { files, argv: [command, ...(command === "fit" || command === "mr" ? ["$DIR/data.csv"] : []), flag] };
    }),
    ...cases("flags/bad-integer", 40, (d) => {
      const [flag, value] = d.pick<[string, string]>([
        ["--replicates", "0"],
        ["--replicates", "-1"],
        ["--replicates", "1.5"],
        ["--replicates", "abc"],
        ["--replicates", ""],
        ["--max-failures", "0"],
        ["--max-failures", "x"],
        ["--seed", "-1"],
        ["--seed", "abc"],
        ["--seed", "1.5"],
        ["--threads", "1.5"],
        ["--threads", "two"],
        ["--threads", "-2"],
      ]);
      return withConfig(d, [`${flag}=${value}`]);
    }),
    ...cases("flags/threads-zero", 10, (d) => {
      return withConfig(d, [d.pick(["--threads=0", "--threads=00", "--threads=-0", "--threads=0.0"])]);
    }),
    ...cases("flags/simulate", 20, (d) => ({
      files: {},
      argv: [
        "simulate",
        "--out",
        "$DIR/sim.csv",
        ...d.pick([
          ["--n", "abc"],
          ["--n", "1"],
          ["--n", "1.5"],
          ["--L", "0"],
          ["--dgp", "nope"],
          ["--rng", "nope"],
          ["--pi-scale", "-1"],
          ["--context", "--no-context"],
          ["extra"],
        ]),
      ],
    })),
    // An output path under a file, not a folder: the environment's error (exit code 1), before any work.
    ...cases("env/output-under-a-file", 10, (d) => ({
      files: { blocker: "a file, not a folder\n" },
      argv: d.pick([
        ["simulate", "--n", "50", "--L", "2", "--out", "$DIR/blocker/sim.csv"],
        ["demo", "--out", d.pick(["$DIR/blocker", "$DIR/blocker/demo"])],
      ]),
      code: 1,
    })),
    ...cases("flags/arguments", 30, (d) =>
      d.pick([
        { files: {}, argv: ["fit"] },
        { files: {}, argv: ["mr"] },
        { files: {}, argv: ["fit", "$DIR/nope.csv"] },
        { files: {}, argv: ["mr", "$DIR/nope.csv"] },
        { files: {}, argv: ["summarize"] },
        { files: {}, argv: ["status", "$DIR/nope"] },
        { files: {}, argv: ["plot"] },
        { files: {}, argv: ["plot", "$DIR/nope"] },
        { files: {}, argv: ["plot", "--per-person", "$DIR/people.csv"] },
        { files: {}, argv: ["reproduce", "nope"] },
        { files: {}, argv: ["reproduce", "study-baseline", "--n", "7"] },
        { files: {}, argv: ["reproduce", "study-baseline", "--tolerance", "abc"] },
        { files: {}, argv: ["sweep", "--preset", "nope", "--out", "$DIR/out"] },
        { files: {}, argv: ["sweep", "--config", "$DIR/nope.json", "--out", "$DIR/out"] },
        { files: {}, argv: ["sweep", "extra", "--out", "$DIR/out"] },
        withData(d, ["fit", "$DIR/data.csv", "$DIR/data.csv"]),
        withData(d, ["fit", "$DIR/data.csv", "--estimators", d.pick(["nope", ",", "ols,,nope", "OLS"])]),
        withData(d, ["fit", "$DIR/data.csv", "--instruments", d.pick(["Z*", "g*", "G9"])]),
        withData(d, ["fit", "$DIR/data.csv", "--set", d.pick(["bogus=1", "noequals", "=1"])]),
        withData(d, ["fit", "$DIR/data.csv", "--per-person", "$DIR/people.csv"]),
      ]),
    ),
  ];
}
