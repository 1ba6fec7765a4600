import { existsSync } from "node:fs";
import { endianness } from "node:os";
import { fileURLToPath } from "node:url";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { errors } from "../errors.js";
import type { HostReply, HostRequest } from "./host.js";

/**
 * The synchronous side of external estimators: estimators fit synchronously (a sweep worker runs
 * a chunk of tasks in one call), so a fit writes its task into a shared buffer, posts it to the host
 * thread (src/external/host.ts), which owns the processes, and blocks on `Atomics.wait` until the
 * host posts the answer. One bridge (one host thread) per thread that fits, made on first use.
 */

/** How to run one external process and how long to wait for it. */
export interface ProcessSpec {
  readonly command: readonly string[];
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly startupMs: number;
}

/** Milliseconds the fitting thread waits beyond the host's own timers before it gives up on the host. */
const HOST_MARGIN_MS = 30_000;

/** The compiled host module: beside this file in dist/, or in dist/ when running from src/ (tests). */
function hostFile(): string {
  const sibling = fileURLToPath(new URL("./host.js", import.meta.url));
  return existsSync(sibling) ? sibling : fileURLToPath(new URL("../../dist/external/host.js", import.meta.url));
}

/** One host thread and the buffer and signal it shares with this thread. */
class Bridge {
  private shared = new SharedArrayBuffer(1 << 20);
  private sent = false;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;

  constructor() {
    if (endianness() !== "LE") throw errors.run("external", "the wire format is little-endian; this machine is not");
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const host = new Worker(hostFile(), { workerData: { port: port2, signal: this.signal }, transferList: [port2] });
    // Neither the host nor its processes keep a finished program alive: at exit their pipes close,
    // and a process that reads end of input exits (the protocol's rule).
    host.unref();
    port1.unref();
  }

  /** A buffer of at least `size` bytes for the next task's message (valid until the next call). */
  buffer(size: number): Uint8Array {
    if (size > this.shared.byteLength) {
      this.shared = new SharedArrayBuffer(Math.max(size, 2 * this.shared.byteLength));
      this.sent = false;
    }
    return new Uint8Array(this.shared, 0, size);
  }

  /** Sends the message in the buffer (its first `length` bytes, task `id`) and blocks until its answer. */
  call(spec: ProcessSpec, id: number, length: number): HostReply {
    const request: HostRequest = { id, ...spec, length, ...(this.sent ? {} : { buffer: this.shared }) };
    this.sent = true;
    this.port.postMessage(request);
    const deadline = performance.now() + spec.startupMs + spec.timeoutMs + HOST_MARGIN_MS;
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      const got = receiveMessageOnPort(this.port);
      // Answers to tasks this thread stopped waiting for (the host was too slow) are dropped.
      if (got && (got.message as HostReply).id === id) return got.message as HostReply;
      if (got) continue;
      const left = deadline - performance.now();
      if (left <= 0)
        return {
          id,
          error: `external: the host thread must answer within ${Math.round(spec.startupMs + spec.timeoutMs + HOST_MARGIN_MS)} ms; got no answer`,
        };
      Atomics.wait(this.signal, 0, seen, left);
    }
  }
}

let bridge: Bridge | null = null;

/** This thread's bridge, started on first use. */
export function externalBridge(): Bridge {
  bridge ??= new Bridge();
  return bridge;
}
