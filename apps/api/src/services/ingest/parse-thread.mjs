// The entry of an ingest parse thread. A worker thread does not get the process's `--import tsx` hooks
// (Node 20), so it registers them itself before it loads the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./parse-worker.ts");
