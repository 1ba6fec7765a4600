import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/fixtures.js";
import { configFile, smallConfig, spawnCli, tinyConfig } from "../helpers/sweep.js";

/**
 * Shards without SLURM (the real one: test/slurm/slurm.test.ts): `sweep --shard`, `merge`,
 * `status`, and `slurm submit`/`resubmit` with a fake sbatch on PATH that records its arguments.
 * Every merge must give the bytes of a local run on 2 threads.
 */

const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");
const config = tinyConfig(8, { n: [300, 600, 1200] });
let ref = "";

beforeAll(async () => {
  const { dir, file } = configFile(config);
  ref = join(dir, "local");
  const r = await spawnCli(["sweep", "--config", file, "--out", ref, "--threads", "2", "--no-plots"]);
  expect(r.code, r.stderr).toBe(0);
});

function expectSameAsLocal(dir: string, local = ref): void {
  expect(read(dir, "replicates.csv")).toBe(read(local, "replicates.csv"));
  expect(read(dir, "summary.csv")).toBe(read(local, "summary.csv"));
}

/** A folder of fake SLURM commands: sbatch appends its arguments to a log and prints job 4242; squeue and sacct fail. */
function fakeSlurm(): { env: Record<string, string>; log: string } {
  const bin = mkdtempSync(join(tmpdir(), "mrsweep-fake-slurm-"));
  const log = join(bin, "sbatch.log");
  writeFileSync(join(bin, "sbatch"), `#!/bin/sh\necho "$@" >> "${log}"\necho 4242\n`);
  writeFileSync(join(bin, "squeue"), "#!/bin/sh\nexit 1\n");
  writeFileSync(join(bin, "sacct"), "#!/bin/sh\nexit 1\n");
  for (const f of ["sbatch", "squeue", "sacct"]) chmodSync(join(bin, f), 0o755);
  return { env: { PATH: `${bin}:${process.env.PATH}` }, log };
}

/** Runs the sbatch script as array task `index` would (bash, SLURM_ARRAY_TASK_ID set). */
function runArrayTask(
  script: string,
  index: number,
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", [script], {
      cwd: ROOT,
      env: { ...process.env, CI: "true", ...env, SLURM_ARRAY_TASK_ID: String(index), SLURM_CPUS_PER_TASK: "1" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("sweep --shard and merge", () => {
  it("shards run in any order and in parallel merge to the bytes of a local 2-thread run", async () => {
    const { dir, file } = configFile(config);
    const shard = (i: number) =>
      spawnCli(["sweep", "--config", file, "--out", dir, "--shard", `${i}/3`, "--threads", "1"]);
    const last = await shard(3);
    expect(last.code, last.stderr).toBe(0);
    const both = await Promise.all([shard(2), shard(1)]);
    for (const r of both) expect(r.code, r.stderr).toBe(0);
    const status = await spawnCli(["status", dir]);
    expect(status.stdout).toMatch(/shards: 3 done, 0 running, 0 pending, 0 failed, 0 incomplete, 0 missing/);
    const merged = await spawnCli(["merge", dir, "--no-plots"]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stderr).toMatch(/^merge: 24\/24 tasks, 0 failed → /);
    expectSameAsLocal(dir);
    expect(JSON.parse(read(dir, "run.json"))).toMatchObject({ status: "complete", tasks: { total: 24, done: 24 } });
  });

  it("a shard killed by SIGKILL is incomplete, refused by merge, resumed, and merged", async () => {
    const slow = smallConfig(12);
    const local = configFile(slow);
    const r0 = await spawnCli(["sweep", "--config", local.file, "--out", local.dir, "--threads", "2", "--no-plots"]);
    expect(r0.code, r0.stderr).toBe(0);
    const { dir, file } = configFile(slow);
    const args = ["sweep", "--config", file, "--out", dir, "--shard", "1/2", "--threads", "1"];
    const rows = join(dir, "shards", "shard-1", "replicates.csv");
    // Killed once the shard has written some rows (the file holds more than its header), whatever the speed.
    let watching = false;
    const killed = await spawnCli(args, {
      onStderr: (text, child) => {
        if (watching || !/tasks in 4 cells/.test(text)) return;
        watching = true;
        const poll = setInterval(() => {
          if (existsSync(rows) && read(dir, "shards/shard-1/replicates.csv").split("\n").length > 2) {
            clearInterval(poll);
            child.kill("SIGKILL");
          }
        }, 20);
        child.on("close", () => clearInterval(poll));
      },
    });
    expect(killed.signal).toBe("SIGKILL");
    expect((await spawnCli(["sweep", "--config", file, "--out", dir, "--shard", "2/2", "--threads", "1"])).code).toBe(
      0,
    );
    const status = await spawnCli(["status", dir]);
    expect(status.stdout).toMatch(/shard 1 incomplete +\d+\/\d+/);
    const refused = await spawnCli(["merge", dir, "--no-plots"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /^mrsweep merge: the shards of .* must be all done \(merge --partial merges what there is\); got incomplete: shard 1 \(/,
    );
    const resumed = await spawnCli(args);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/already done, resuming/);
    const merged = await spawnCli(["merge", dir, "--no-plots"]);
    expect(merged.code, merged.stderr).toBe(0);
    expectSameAsLocal(dir, local.dir);
  });
});

describe("slurm submit and resubmit (a fake sbatch)", () => {
  it("submits an editable array script; a missing shard is refused by merge and resubmitted alone", async () => {
    const { dir, file } = configFile(config);
    const run = join(dir, "run");
    const fake = fakeSlurm();
    const submit = await spawnCli(
      [
        "slurm",
        "submit",
        "--config",
        file,
        "--out",
        run,
        "--shards",
        "3",
        "--time",
        "00:05:00",
        "--sbatch-arg=--qos=test",
      ],
      { env: fake.env },
    );
    expect(submit.code, submit.stderr).toBe(0);
    expect(submit.stderr).toMatch(/^slurm: submitted job 4242 \(3 shards\) from /);
    const script = join(run, "slurm.sbatch");
    expect(read(fake.log, "")).toBe(`--parsable --array=1-3 ${script}\n`);
    const text = read(script, "");
    for (const line of [
      "#SBATCH --array=1-3",
      "#SBATCH --time=00:05:00",
      "#SBATCH --qos=test",
      "#SBATCH --cpus-per-task=1",
    ])
      expect(text).toContain(`${line}\n`);
    expect(text).toMatch(/--shard "\$SLURM_ARRAY_TASK_ID\/3" --threads "\$\{SLURM_CPUS_PER_TASK:-1\}"\n$/);
    expect(JSON.parse(read(run, "run.json")).slurm).toMatchObject({
      script: "slurm.sbatch",
      jobs: [{ id: "4242", array: "1-3" }],
    });

    // Array tasks 1 and 3 run; 2 never does.
    for (const r of await Promise.all([runArrayTask(script, 3, fake.env), runArrayTask(script, 1, fake.env)]))
      expect(r.code, r.stderr).toBe(0);
    const refused = await spawnCli(["merge", run], { env: fake.env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /must be all done \(merge --partial merges what there is\); got missing: shard 2\n$/,
    );
    const status = await spawnCli(["status", run], { env: fake.env });
    expect(status.stdout).toMatch(/squeue not available/);
    expect(status.stdout).toMatch(/shard 2 missing +0\/\d+/);
    const partial = await spawnCli(["merge", run, "--partial", "--no-plots"], { env: fake.env });
    expect(partial.code, partial.stderr).toBe(0);
    expect(partial.stderr).toMatch(/\(left out: shard 2\)/);
    expect(JSON.parse(read(run, "run.json"))).toMatchObject({ status: "partial", shards_left_out: [2] });

    const again = await spawnCli(["slurm", "resubmit", run], { env: fake.env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toBe("slurm: submitted job 4242 for shards 2 (missing)\n");
    expect(read(fake.log, "").split("\n")[1]).toBe(`--parsable --array=2 ${script}`);
    expect(JSON.parse(read(run, "run.json")).slurm.jobs).toHaveLength(2);
    expect((await runArrayTask(script, 2, fake.env)).code).toBe(0);
    const nothing = await spawnCli(["slurm", "resubmit", run], { env: fake.env });
    expect(nothing.stderr).toMatch(/^slurm: nothing to resubmit \(3 done, 0 queued or running\)\n$/);
    const merged = await spawnCli(["merge", run], { env: fake.env });
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stderr).toMatch(/figures and report.html\n$/);
    expectSameAsLocal(run);
    expect(existsSync(join(run, "report.html"))).toBe(true);
  });

  it("refuses a run folder of another configuration or shard count, naming it", async () => {
    const { dir, file } = configFile(config);
    const out = join(dir, "x");
    mkdirSync(out);
    expect((await spawnCli(["sweep", "--config", file, "--out", out, "--shard", "1/2", "--threads", "1"])).code).toBe(
      0,
    );
    const other = await spawnCli(["sweep", "--config", file, "--out", out, "--shard", "1/3", "--threads", "1"]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(
      /must be empty or holding the shards of this configuration in 3 shards \(or use another --out\); got a run in 2 shards\n$/,
    );
    const unsharded = await spawnCli(["sweep", "--config", file, "--out", out]);
    expect(unsharded.code).toBe(2);
    expect(unsharded.stderr).toMatch(
      /must be empty or holding a run without shards \(this one has 2: run sweep --shard I\/2, or mrsweep merge .*\); got a sharded run, status sharded\n$/,
    );
    const local = await spawnCli(["sweep", "--config", file, "--out", ref, "--shard", "1/2"]);
    expect(local.stderr).toMatch(/got a run made without --shard\n$/);
  });
});

describe("bad input to merge and slurm", () => {
  it("says what is wrong in one line, exit 2; every subcommand has --help", async () => {
    const { file } = configFile(config);
    const cases: Array<[string[], RegExp]> = [
      [["slurm", "frob"], /^mrsweep slurm: the subcommand must be one of submit, resubmit; got "frob"\n$/],
      [
        ["slurm", "submit", "--config", file],
        /^mrsweep slurm submit: --shards must be the number of array tasks; got nothing\n$/,
      ],
      [
        ["slurm", "submit", "--config", file, "--shards", "25"],
        /^mrsweep slurm submit: --shards must be at most 24 \(the plan's tasks\); got 25\n$/,
      ],
      [
        ["sweep", "--config", file, "--shard", "0/3"],
        /^mrsweep sweep: --shard must be I\/N with 1 <= I <= N <= 10000 \(I counts from 1: sbatch --array=1-N\); got "0\/3"\n$/,
      ],
      [
        ["merge", ref],
        /^mrsweep merge: the run .* must be a sharded run \(made by sweep --shard or slurm submit\); got a run made without --shard\n$/,
      ],
      [["merge"], /^mrsweep merge: arguments must be one run folder; got "none"\n$/],
    ];
    for (const [args, message] of cases) {
      const r = await spawnCli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    for (const args of [
      ["merge", "--help"],
      ["slurm", "submit", "--help"],
      ["slurm", "resubmit", "--help"],
      ["status", "--help"],
    ]) {
      const r = await spawnCli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: mrsweep /);
    }
  });
});
