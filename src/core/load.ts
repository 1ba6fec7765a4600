import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { errors } from "../errors.js";
import type { CoreExports } from "./exports.js";
import { Core } from "./memory.js";

/** Which build of the numeric core: `release` (SIMD, -O3, no asserts) or `debug` (asserts on). */
export type CoreVariant = "release" | "debug";

const FILES: Record<CoreVariant, string> = {
  release: "../../build/mrsweep.wasm",
  debug: "../../build/mrsweep.debug.wasm",
};

const modules = new Map<CoreVariant, WebAssembly.Module>();
const cores = new Map<CoreVariant, Core>();

/** The variant selected by `MRSWEEP_WASM` (release unless it says `debug`). */
export function defaultVariant(): CoreVariant {
  return process.env.MRSWEEP_WASM === "debug" ? "debug" : "release";
}

/** Compiles the module once per thread (cached); pass the result to workers to skip recompiling. */
export function compileCore(variant: CoreVariant = defaultVariant()): WebAssembly.Module {
  const cached = modules.get(variant);
  if (cached) return cached;
  const url = new URL(FILES[variant], import.meta.url);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(readFileSync(fileURLToPath(url)));
  } catch (e) {
    throw errors.run(
      "core",
      `the WASM core ${fileURLToPath(url)} is missing (run \`npm run build\`): ${(e as Error).message}`,
    );
  }
  const mod = new WebAssembly.Module(bytes);
  modules.set(variant, mod);
  return mod;
}

function instantiate(mod: WebAssembly.Module): Core {
  let memory: WebAssembly.Memory | undefined;
  const imports = {
    env: {
      // An abort inside the core is a bug in mrsweep, never a user error: inputs are validated in
      // TypeScript before every call.
      abort(msg: number, file: number, line: number, col: number): never {
        const text = memory ? readAsString(memory, msg) : String(msg);
        const where = memory ? readAsString(memory, file) : String(file);
        throw new Error(`wasm abort (bug): ${text} at ${where}:${line}:${col}`);
      },
    },
  };
  const instance = new WebAssembly.Instance(mod, imports);
  const exports = unsignedAddresses(instance.exports as unknown as CoreExports);
  memory = exports.memory;
  return new Core(exports);
}

/**
 * The exports with the arena's addresses read as unsigned. A wasm32 `usize` result reaches
 * JavaScript as a signed i32, so an address past 2 GiB would come back negative and every typed
 * array taken at it would throw ("Start offset -2147446784 is outside the bounds of the buffer").
 * Arguments need no care: JavaScript numbers up to 2^32 wrap to the same 32 bits on the way in.
 */
function unsignedAddresses(raw: CoreExports): CoreExports {
  return { ...raw, alloc: (bytes) => raw.alloc(bytes) >>> 0, mark: () => raw.mark() >>> 0 };
}

/** Reads an AssemblyScript string (UTF-16, byte length stored 4 bytes before the pointer). */
function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  if (!ptr) return "";
  const len = new Uint32Array(memory.buffer, ptr - 4, 1)[0] ?? 0;
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, len >>> 1));
}

/**
 * The numeric core for this thread: instantiated once (per variant) and reused. A worker may pass
 * the module compiled on the main thread.
 */
export function getCore(variant: CoreVariant = defaultVariant(), mod?: WebAssembly.Module): Core {
  const cached = cores.get(variant);
  if (cached) return cached;
  const core = instantiate(mod ?? compileCore(variant));
  cores.set(variant, core);
  return core;
}

/** A new instance of the core with its own memory, at the module's initial size (for tests of memory growth). */
export function createCore(variant: CoreVariant = defaultVariant()): Core {
  return instantiate(compileCore(variant));
}
