// The history parser's thread starts here: its code is TypeScript, loaded through tsx (the API runs under tsx,
// but a thread does not get the loader's hooks before its first module).
import { register } from "tsx/esm/api";

register();
await import("./parse-worker.ts");
