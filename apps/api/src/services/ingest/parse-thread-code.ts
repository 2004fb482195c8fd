import { fileURLToPath } from "node:url";
import { build, stop } from "esbuild";

/**
 * The parse threads' code: parse-worker.ts and everything it imports, bundled by esbuild into one CommonJS
 * script, once per process (about 0.15-0.3 s, from the first pool start on), and run in each thread with `eval`.
 *
 * Why a bundle. A worker thread does not get the process's ES module hooks, so it used to load the TypeScript
 * through tsx's `require` hook (parse-thread.cjs). That compiles each module to CommonJS on its own, and every
 * use of an imported binding then goes through a getter, twice for a package's `export *` (a megamorphic keyed
 * load, then a call): in the parser's per-line code (MINUTE_MS, latencyBucket, MAX_FUTURE_SKEW_MS, HASH_SEED)
 * that was about a fifth of the thread's time in a profile of the history import, and the same 200,000 lines
 * parsed 20-25% slower than in an ES module (docs/benchmarks.md). The bundle puts all modules in one scope:
 * an import is a plain variable again. The thread also starts without tsx (no `--import` flags).
 *
 * esbuild's asynchronous API runs its service as a child process of this thread, stopped (and reaped) once the
 * bundle is built; the synchronous one runs it from a helper thread, and the child, orphaned by that thread's
 * end, stayed a zombie. If esbuild cannot run, the threads load parse-thread.cjs as before (`null` here; the
 * error is given once to `onError`). Never rejects.
 */
export function buildParseThreadCode(
  onError: (e: unknown) => void = () => undefined,
): Promise<string | null> {
  building ??= build({
    entryPoints: [fileURLToPath(new URL("./parse-worker.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    write: false,
    logLevel: "silent",
  })
    // In a function: an eval'd script's top-level `var`s would be properties of the global object.
    .then((out) => `(function () {\n${out.outputFiles[0]!.text}\n})();\n`)
    .catch((e: unknown) => {
      onError(e);
      return null;
    })
    .then(async (code) => {
      await stop();
      built = code;
      return code;
    });
  return building;
}

/** The bundle once built (null if it cannot be), or undefined while it is not (yet). */
export function builtParseThreadCode(): string | null | undefined {
  return built;
}

let building: Promise<string | null> | undefined;
let built: string | null | undefined;
