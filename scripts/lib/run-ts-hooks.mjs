/**
 * Module hooks (they run on Node's hooks thread, beside tsx's): esbuild's service, which tsx's loader starts on
 * that thread when it must transpile, is stopped once no module has been loaded for IDLE_MS. esbuild starts it
 * again by itself for the next transform.
 */
import { createRequire } from "node:module";
import path from "node:path";

/** How long after the last module load the transpiler is stopped. */
export const IDLE_MS = 30_000;

const require = createRequire(import.meta.url);
let esbuild;
/**
 * The esbuild tsx uses (its own dependency), as loaded on the calling thread: the same module instance as tsx's
 * there, so `stop()` stops the services tsx started on that thread. Resolved once.
 */
export const tsxEsbuild = () =>
  (esbuild ??= require(
    require.resolve("esbuild", { paths: [path.dirname(require.resolve("tsx/package.json"))] }),
  ));

let timer;
const rearm = () => {
  clearTimeout(timer);
  timer = setTimeout(() => void tsxEsbuild().stop(), IDLE_MS);
  timer.unref();
};

export function initialize() {
  rearm();
}

export async function load(url, context, nextLoad) {
  rearm();
  return nextLoad(url, context);
}
