/**
 * `node --import ./scripts/lib/run-ts.mjs app.ts`: runs TypeScript as `--import tsx` does, without tsx's
 * transpiler lingering. On a cold cache (the first start after an install or an upgrade, every start of a
 * container) tsx starts esbuild's service: a child process that pings its thread every second for as long as it
 * lives. In an idle worker that was more CPU than everything else it does (about 0.02 CPU-s a minute, and the
 * child's own). Here it is stopped once start-up is over; a module transpiled later starts it again.
 *
 * - On the hooks thread (ES modules): once no module has been loaded for IDLE_MS (run-ts-hooks.mjs).
 * - On this thread (CommonJS `require` of TypeScript, through esbuild's synchronous service): every IDLE_MS. A
 *   synchronous transform blocks this thread, so a stop never lands in the middle of one.
 * Worker threads started with this process's flags load this file too, and do the same for themselves.
 *
 * A service stopped on this thread can stay in the process table as an exited child that Node never reaps
 * (esbuild runs it from a worker thread that `stop()` ends): `ps` shows `[esbuild] <defunct>`, with no CPU and no
 * memory. The API has two after start-up, the worker none.
 */
import { register } from "node:module";
import "tsx";
import { IDLE_MS, tsxEsbuild } from "./run-ts-hooks.mjs";

register(new URL("./run-ts-hooks.mjs", import.meta.url));
setInterval(() => void tsxEsbuild().stop(), IDLE_MS).unref();
