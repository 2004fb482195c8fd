/**
 * An evaluation worker process for the bench: the worker's shard job code (scripts/bench/evaluation.ts's
 * `runEvalCycle`: every shard of a cycle, `concurrency` at a time) in a process of its own, with the worker's
 * database pool, so that its CPU and its memory are read from /proc apart from the bench's. The parent sends
 * `{ slos, shardSize, concurrency }` over IPC for each cycle and gets back the cycle's result and the process's
 * peak RSS so far (VmHWM).
 */
import { createDb } from "../../packages/db/src/index.ts";
import { runEvalCycle } from "./evaluation.ts";
import { procStatusBytes, type Env } from "./harness.ts";

const CONCURRENCY = 4; // the worker's default WORKER_CONCURRENCY
// As apps/worker/src/main.ts sizes its pool.
const db = createDb({ databaseUrl: process.env.DATABASE_URL!, poolSize: 2 * CONCURRENCY + 4 });
const env = { db } as unknown as Env;

process.on("message", (msg: { slos: number; shardSize: number } | "exit") => {
  if (msg === "exit") {
    void db.$disconnect().then(() => process.exit(0));
    return;
  }
  runEvalCycle(env, { slos: msg.slos, shardSize: msg.shardSize, concurrency: CONCURRENCY }).then(
    (r) =>
      process.send!({ ok: true, ms: r.ms, dispatches: r.dispatches, hwm: procStatusBytes("self", "VmHWM") }),
    (e: unknown) => process.send!({ ok: false, error: String(e) }),
  );
});
process.send!({ ready: true });
