#!/usr/bin/env node
// The burnrate CLI runs its TypeScript sources through tsx's loader, like the other apps of the workspace.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2), process.env);
