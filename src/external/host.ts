import { type ChildProcess, spawn } from "node:child_process";
import { type MessagePort, workerData } from "node:worker_threads";
import { HELLO } from "./protocol.js";

/**
 * The host thread of external estimator processes: one per thread that fits external estimators
 * (src/external/bridge.ts). The fitting thread blocks while a task is out, so the processes, their
 * pipes and the timers live here, on an event loop of their own. One process per command line,
 * started on its first task and kept for the following ones; a process that exits, hangs past the
 * timeout or breaks the protocol is killed and started again on the next task.
 */

/** A task as the bridge sends it; the message's bytes are the first `length` of the shared buffer. */
export interface HostRequest {
  readonly id: number;
  readonly command: readonly string[];
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly startupMs: number;
  readonly length: number;
  /** A new shared buffer, sent when the bridge outgrew the previous one. */
  readonly buffer?: SharedArrayBuffer;
}

/** The answer to one request: the parsed reply line, or why there is none. */
export type HostReply = { id: number; reply: Record<string, unknown> } | { id: number; error: string };

/** Characters of a process's standard error kept for messages. */
const STDERR_TAIL = 1000;

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };
let shared: SharedArrayBuffer | null = null;

/** One external process and the task it is working on. */
interface Proc {
  readonly child: ChildProcess;
  /** The command line and folder it runs in, which identify it. */
  readonly key: string;
  /** The command line, quoted, for messages. */
  readonly label: string;
  ready: boolean;
  dead: boolean;
  stdout: string;
  stderr: string;
  /** The task waiting for the hello line or for its reply. */
  pending: HostRequest | null;
  timer: NodeJS.Timeout | null;
  /** Why the process was killed (a timeout, a broken reply), reported when it has closed. */
  killed: string;
}

const procs = new Map<string, Proc>();

/** Posts the answer to the bridge and wakes the blocked thread. */
function answer(r: HostReply): void {
  port.postMessage(r);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

/** The stderr tail on one line, for a message. */
function tail(p: Proc): string {
  const t = p.stderr.trim().replace(/\s*\n\s*/g, " | ");
  return t ? `; its stderr ended: ${t.slice(-STDERR_TAIL)}` : "; its stderr was empty";
}

/** Kills a process that is no longer trusted; its close handler answers the pending task with `why`. */
function kill(p: Proc, why: string): void {
  if (p.dead) return;
  p.dead = true;
  p.killed = why;
  procs.delete(p.key);
  if (p.timer) clearTimeout(p.timer);
  p.child.kill("SIGKILL");
}

/** Starts the timer of `what` (start-up or a task); running out of time kills the process. */
function arm(p: Proc, ms: number, why: string): void {
  if (p.timer) clearTimeout(p.timer);
  p.timer = setTimeout(() => kill(p, why), ms);
}

/** Writes the pending task to a ready process and starts its timer. */
function send(p: Proc): void {
  const r = p.pending as HostRequest;
  p.stderr = "";
  arm(p, r.timeoutMs, `must reply within ${r.timeoutMs} ms (timeout_ms); got no reply, and it was killed`);
  p.child.stdin?.write(new Uint8Array(shared as SharedArrayBuffer, 0, r.length));
}

/** Handles one line of a process's stdout: its hello, or the reply to the pending task. */
function line(p: Proc, text: string): void {
  if (p.dead) return;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const obj =
    typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  const quoted = JSON.stringify(text.length > 200 ? `${text.slice(0, 197)}...` : text);
  if (!p.ready) {
    if (obj?.protocol !== HELLO.protocol || obj.version !== HELLO.version) {
      kill(p, `must first write the hello line ${JSON.stringify(HELLO)}; got ${quoted}`);
      return;
    }
    p.ready = true;
    if (p.timer) clearTimeout(p.timer);
    if (p.pending) send(p);
    return;
  }
  const r = p.pending;
  if (!r) {
    kill(p, `must write nothing between tasks; got ${quoted}`);
    return;
  }
  if (!obj || obj.id !== r.id) {
    kill(p, `must reply with one JSON object line carrying the task's id; got ${quoted}`);
    return;
  }
  if (p.timer) clearTimeout(p.timer);
  p.pending = null;
  answer({ id: r.id, reply: obj });
}

/** A process's close: answers its pending task with what happened (and the stderr tail). */
function closed(p: Proc, code: number | null, sig: NodeJS.Signals | null): void {
  p.dead = true;
  if (procs.get(p.key) === p) procs.delete(p.key);
  if (p.timer) clearTimeout(p.timer);
  const r = p.pending;
  if (!r) return;
  p.pending = null;
  const how =
    p.killed ||
    `must keep running; got an exit ${code === null ? `by signal ${sig}` : `with code ${code}`}${p.ready ? " while fitting the task" : " before its hello line"}`;
  answer({ id: r.id, error: `external process ${p.label}: ${how}${tail(p)}` });
}

/** Starts the process of a command line, wiring its pipes. */
function start(r: HostRequest, key: string): Proc {
  const [cmd, ...args] = r.command as [string, ...string[]];
  const child = spawn(cmd, args, { cwd: r.cwd, stdio: ["pipe", "pipe", "pipe"] });
  const label = JSON.stringify(r.command.join(" "));
  const p: Proc = {
    child,
    key,
    label,
    ready: false,
    dead: false,
    stdout: "",
    stderr: "",
    pending: null,
    timer: null,
    killed: "",
  };
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  child.stdout?.on("data", (d: string) => {
    p.stdout += d;
    for (let nl = p.stdout.indexOf("\n"); nl >= 0 && !p.dead; nl = p.stdout.indexOf("\n")) {
      const text = p.stdout.slice(0, nl);
      p.stdout = p.stdout.slice(nl + 1);
      line(p, text);
    }
  });
  child.stderr?.on("data", (d: string) => {
    p.stderr = (p.stderr + d).slice(-4 * STDERR_TAIL);
  });
  // A write to a process that has died fails with EPIPE: its close reports what happened.
  child.stdin?.on("error", () => {});
  child.on("error", (e) => {
    if (!p.killed) p.killed = `must start; got ${e.message}`;
    // A command that could not be spawned has no process to close.
    if (child.pid === undefined) closed(p, null, null);
  });
  child.on("close", (code, sig) => closed(p, code, sig));
  arm(
    p,
    r.startupMs,
    `must write its hello line within ${r.startupMs} ms (startup_timeout_ms); got none, and it was killed`,
  );
  return p;
}

port.on("message", (r: HostRequest) => {
  if (r.buffer) shared = r.buffer;
  const key = JSON.stringify([r.command, r.cwd]);
  let p = procs.get(key);
  if (!p || p.dead) {
    p = start(r, key);
    procs.set(key, p);
  }
  p.pending = r;
  if (p.ready) send(p);
});
