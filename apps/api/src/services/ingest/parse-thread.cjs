/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS entry: require is how it loads */
// The entry of a parse thread when its bundle cannot be built (parse-thread-code.ts). A worker thread does not
// get the process's `--import tsx` hooks, so it loads the TypeScript worker through tsx's require hook, which
// runs in this thread (tsx's ESM hooks would start one more loader thread, and its memory, per parse thread).
require("tsx/cjs/api").register();
require("./parse-worker.ts");
