import { described, errors } from "../errors.js";
import { failedRow } from "../estimators/inference.js";
import { type EstimateRow, FIT_STATUSES, type RowStatus } from "../estimators/types.js";

/**
 * The stdin/stdout protocol between mrsweep and an external estimator process (docs/external-protocol.md).
 * On start the process writes the hello line; then, for each task, mrsweep writes a JSON header line
 * followed by one block per column (a little-endian uint32 count, then that many little-endian
 * float64), and the process answers with one JSON line. End of stdin means: exit.
 */
export const HELLO = { protocol: "mrsweep-external", version: 1 } as const;

/** The header of one task: what the process needs to read the blocks that follow and fit them. */
export interface TaskHeader {
  readonly type: "task";
  readonly id: number;
  readonly n: number;
  /** The estimator's seed (a sweep's differs per configured estimator) and the dataset's own. */
  readonly seed: number | string;
  readonly data_seed: number | string;
  /** Column names, in the order of the blocks. */
  readonly columns: readonly string[];
  readonly roles: {
    readonly outcome: string;
    readonly exposure: string;
    readonly instruments: readonly string[];
    readonly context: readonly string[];
    readonly covariates: readonly string[];
  };
}

/** Bytes of one column block of n values. */
function blockBytes(n: number): number {
  return 4 + 8 * n;
}

/** The header's bytes, then the size of the whole message. */
export function taskSize(header: TaskHeader): { head: Uint8Array; size: number } {
  const head = new TextEncoder().encode(`${JSON.stringify(header)}\n`);
  return { head, size: head.length + header.columns.length * blockBytes(header.n) };
}

/**
 * Writes one task message into `out` (at least `taskSize(...).size` bytes): the header line, then
 * each column's count and values. Values are copied as bytes: the platform is little-endian
 * (checked where the bridge starts), so Float64Array memory already is the wire format.
 */
export function writeTask(out: Uint8Array, head: Uint8Array, n: number, columns: readonly Float64Array[]): number {
  out.set(head, 0);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let at = head.length;
  for (const c of columns) {
    view.setUint32(at, n, true);
    out.set(new Uint8Array(c.buffer, c.byteOffset, n * 8), at + 4);
    at += blockBytes(n);
  }
  return at;
}

const NUMBERS = ["estimate", "se", "ci_lower", "ci_upper", "p"] as const;

/** A reply's number: a finite or non-finite number, or null (NA). */
function numberOf(where: string, key: string, v: unknown): number {
  if (v === null || v === undefined) return Number.NaN;
  if (typeof v !== "number") throw errors.invalid(where, `reply field ${key}`, "a number or null", v);
  return v;
}

/** The reply's status: one of the fit statuses, or `failed` (with a message); absent means ok. */
function statusOf(where: string, v: unknown): RowStatus {
  if (v === undefined) return "ok";
  const known: readonly string[] = [...FIT_STATUSES, "failed"];
  if (typeof v !== "string" || !known.includes(v))
    throw errors.unknownId(where, "reply field status", String(v), known);
  return v as RowStatus;
}

/** The reply's extras: numbers (or null) under names the estimator declared. */
function extrasOf(where: string, v: unknown, declared: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of declared) out[k] = Number.NaN;
  if (v === undefined || v === null) return out;
  if (typeof v !== "object" || Array.isArray(v)) throw errors.invalid(where, "reply field extras", "an object", v);
  for (const [k, x] of Object.entries(v)) {
    if (!declared.includes(k)) {
      throw errors.invalid(
        where,
        `reply extra ${JSON.stringify(k)}`,
        `declared in the estimator's extras (${declared.join(", ") || "none"})`,
        described(k),
      );
    }
    out[k] = numberOf(where, `extras.${k}`, x);
  }
  return out;
}

/**
 * The row a parsed reply gives (numbers null -> NaN); a reply that breaks the protocol (a field of
 * the wrong type, an unknown status, an undeclared extra) is an error for the caller to record.
 */
export function replyRow(where: string, reply: Record<string, unknown>, declared: readonly string[]): EstimateRow {
  for (const k of Object.keys(reply)) {
    if (
      k !== "id" &&
      k !== "status" &&
      k !== "message" &&
      k !== "extras" &&
      !(NUMBERS as readonly string[]).includes(k)
    ) {
      throw errors.unknownId(where, "reply field", k, ["id", ...NUMBERS, "status", "message", "extras"]);
    }
  }
  const status = statusOf(where, reply.status);
  const message = reply.message ?? "";
  if (typeof message !== "string") throw errors.invalid(where, "reply field message", "a string", message);
  return {
    estimator: "external",
    estimate: numberOf(where, "estimate", reply.estimate),
    se: numberOf(where, "se", reply.se),
    ci_lower: numberOf(where, "ci_lower", reply.ci_lower),
    ci_upper: numberOf(where, "ci_upper", reply.ci_upper),
    p_value: numberOf(where, "p", reply.p),
    status,
    ...(status === "failed" ? { message: message || "the external method reported a failure" } : {}),
    extras: extrasOf(where, reply.extras, declared),
  };
}

/** A failed row for a task the process did not answer properly, with why. */
export function processFailure(message: string, declared: readonly string[]): EstimateRow {
  return { ...failedRow("external", "failed", declared), message };
}
