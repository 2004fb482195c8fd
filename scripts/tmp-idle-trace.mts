import { benchIdle } from "./bench/idle.ts";
const r = await benchIdle({ warmupMs: 140_000, measureMs: 80_000, workerNodeArgs: ["--import", "/tmp/tt/timer-trace.mjs"], apiNodeArgs: ["--import", "/tmp/tt/timer-trace.mjs"] });
console.log(JSON.stringify(r).slice(0, 400));
