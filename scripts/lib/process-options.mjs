// How the API and the worker processes are started, shared by `npm start` (scripts/start.mjs) and the bench
// harness (scripts/bench/harness.ts); apps/api/package.json and apps/Dockerfile say the same in their own syntax.
/**
 * The API's node flags (docs/benchmarks.md): a 32 MB young generation, so ingest's per-batch allocations cost
 * less GC; and a heap that may grow to twice what the last full collection kept before the next one. Request
 * bodies arrive as memory outside the heap, and with V8's own growth factor a history import ran a full
 * collection of the API's 70 MB heap every 100-300 ms that freed 1-2 MB (30M records: 108-141 of them, 13 CPU-s
 * of marking threads; with this flag 28 and 4 CPU-s).
 */
export const API_NODE_FLAGS = ["--max-semi-space-size=32", "--heap-growing-percent=100"];

/** `--import` this to run the API or the worker's TypeScript through tsx, without its transpiler lingering (run-ts.mjs). */
export const RUN_TS = new URL("./run-ts.mjs", import.meta.url).href;

/**
 * glibc malloc: few arenas, the largest buffers (pooled 4 MiB request bodies) mmapped, and the top of the heap
 * trimmed, so the memory of a load peak goes back to the OS. The mmap threshold was 128 KiB: then every larger
 * buffer was a fresh mapping, page-faulted in as it was written and unmapped after, and a history import spent
 * about 3 of its main thread's 22 CPU-s in those faults (pg's message buffer, which grows by half until a chunk's
 * rows fit, and the rows' binary arrays; docs/benchmarks.md).
 */
export const API_MALLOC_ENV = {
  MALLOC_ARENA_MAX: "2",
  MALLOC_MMAP_THRESHOLD_: "4194304",
  MALLOC_TRIM_THRESHOLD_: "131072",
};
