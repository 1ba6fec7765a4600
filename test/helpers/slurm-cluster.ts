import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, hostname } from "node:os";

/**
 * A real single-node SLURM (slurmctld, slurmd, munge) for tests, as a root Debian bookworm
 * machine without systemd can run it: the packages installed when missing, munge's key and
 * folders, a minimal slurm.conf, the daemons started and the node waited for, and every daemon
 * this fixture started stopped by its PID (never by name). Where any step fails, `start` says why
 * and the caller skips.
 */

/** A started cluster, or why there is none. */
export type Cluster = { ok: true; stop: () => Promise<void>; log: string[] } | { ok: false; why: string };

const PACKAGES = ["slurmctld", "slurmd", "slurm-client", "munge"];
const PID_FILES = { munged: "/run/munge/munged.pid", slurmctld: "/run/slurmctld.pid", slurmd: "/run/slurmd.pid" };

/** The first line of the slurm.conf this fixture writes: a configuration without it is never replaced. */
const MARK = "# written by mrsweep's test fixture (test/helpers/slurm-cluster.ts)";
const CONF = "/etc/slurm/slurm.conf";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(cmd: string, args: readonly string[], env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", env: { ...process.env, ...env } });
  return { ok: r.status === 0 && !r.error, out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}

const has = (cmd: string) => run("sh", ["-c", `command -v ${cmd}`]).ok;

/** A live process's PID from a pid file, or null. */
function livePid(file: string): number | null {
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/** Waits for `ok()` up to `ms`, checking every 100 ms. */
async function until(ok: () => boolean, ms: number): Promise<boolean> {
  for (let t = 0; t < ms; t += 100) {
    if (ok()) return true;
    await sleep(100);
  }
  return ok();
}

/** SIGTERM, up to 10 s for it to end, then SIGKILL. */
async function stopPid(pid: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, "SIGTERM");
  if (!(await until(() => !alive(), 10_000))) process.kill(pid, "SIGKILL");
}

function install(): string | null {
  if (PACKAGES.every((p) => run("dpkg", ["-s", p]).ok)) return null;
  if (!has("apt-get")) return "SLURM is not installed and there is no apt-get to install it";
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const update = run("apt-get", ["update"], env);
  if (!update.ok) return `apt-get update failed: ${update.out.trim().split("\n").pop()}`;
  const r = run("apt-get", ["install", "-y", "--no-install-recommends", ...PACKAGES], env);
  return r.ok ? null : `apt-get install ${PACKAGES.join(" ")} failed: ${r.out.trim().split("\n").pop()}`;
}

function mungeSetup(): string | null {
  const key = "/etc/munge/munge.key";
  if (!existsSync(key)) {
    const r = run("mungekey", ["--create", `--keyfile=${key}`]);
    if (!r.ok) return `mungekey failed: ${r.out.trim()}`;
  }
  const id = run("id", ["-u", "munge"]);
  const gid = run("id", ["-g", "munge"]);
  if (!id.ok || !gid.ok) return "there is no munge user";
  const [uid, g] = [Number(id.out.trim()), Number(gid.out.trim())];
  chownSync(key, uid, g);
  chmodSync(key, 0o400);
  for (const [dir, mode] of [
    ["/run/munge", 0o755],
    ["/var/log/munge", 0o700],
    ["/var/lib/munge", 0o700],
  ] as const) {
    mkdirSync(dir, { recursive: true });
    chownSync(dir, uid, g);
    chmodSync(dir, mode);
  }
  return null;
}

function slurmConf(): string {
  const h = hostname().split(".")[0] as string;
  return `${MARK}
ClusterName=ci
SlurmctldHost=${h}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=${PID_FILES.slurmctld}
SlurmdPidFile=${PID_FILES.slurmd}
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
NodeName=${h} NodeAddr=127.0.0.1 CPUs=${availableParallelism()} State=UNKNOWN
PartitionName=debug Nodes=${h} Default=YES MaxTime=INFINITE State=UP
`;
}

/**
 * Starts munged, slurmctld and slurmd (each unless already running; only those started here are
 * stopped) and waits for the node to be idle. Never throws: a failure stops what was started and
 * comes back as `{ ok: false, why }`.
 */
export async function startCluster(): Promise<Cluster> {
  if (process.platform !== "linux" || process.getuid?.() !== 0)
    return { ok: false, why: "not root on Linux (installing and starting SLURM needs root)" };
  const started: number[] = [];
  const log: string[] = [];
  const stop = async () => {
    // slurmd first, then slurmctld, then munged: the reverse of their start.
    for (const pid of [...started].reverse()) await stopPid(pid);
    started.length = 0;
  };
  const fail = async (why: string): Promise<Cluster> => {
    await stop();
    return { ok: false, why };
  };
  const t0 = Date.now();
  const installed = install();
  if (installed) return fail(installed);
  log.push(`packages ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const munge = mungeSetup();
  if (munge) return fail(munge);
  if (!livePid(PID_FILES.munged)) {
    const r = run("runuser", ["-u", "munge", "--", "/usr/sbin/munged"]);
    if (!r.ok) return fail(`munged did not start: ${r.out.trim()}`);
    if (!(await until(() => existsSync("/run/munge/munge.socket.2") && livePid(PID_FILES.munged) !== null, 5000)))
      return fail("munged did not open its socket within 5 s");
    started.push(livePid(PID_FILES.munged) as number);
  }
  if (!run("sh", ["-c", "munge -n | unmunge"]).ok) return fail("munge -n | unmunge failed");
  for (const d of ["/etc/slurm", "/var/spool/slurmctld", "/var/spool/slurmd", "/var/log/slurm"])
    mkdirSync(d, { recursive: true });
  const conf = slurmConf();
  const found = existsSync(CONF) ? readFileSync(CONF, "utf8") : null;
  // This fixture's own, from an earlier run (with or without its mark line), may be rewritten.
  if (found !== null && !found.startsWith(MARK) && found !== conf.slice(MARK.length + 1))
    return fail(`${CONF} exists and was not written by this fixture (a real cluster's is never replaced)`);
  writeFileSync(CONF, conf);
  for (const daemon of ["slurmctld", "slurmd"] as const) {
    if (livePid(PID_FILES[daemon])) continue;
    const r = run(daemon, ["-c"]);
    if (!r.ok) return fail(`${daemon} -c failed: ${r.out.trim().split("\n").pop()}`);
    if (!(await until(() => livePid(PID_FILES[daemon]) !== null, 5000)))
      return fail(`${daemon} wrote no pid file within 5 s`);
    started.push(livePid(PID_FILES[daemon]) as number);
  }
  const node = hostname().split(".")[0] as string;
  const idle = () => run("sinfo", ["-h", "-n", node, "-o", "%T"]).out.trim() === "idle";
  if (!(await until(idle, 20_000))) return fail(`node ${node} not idle within 20 s (see /var/log/slurm/)`);
  log.push(`cluster up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { ok: true, stop, log };
}

/** Waits until job `id` has left the queue (or `ms` passed); returns whether it did. */
export function jobGone(id: string, ms: number): Promise<boolean> {
  return until(() => {
    const r = run("squeue", ["-h", "-j", id]);
    return !r.ok || r.out.trim() === "";
  }, ms);
}
