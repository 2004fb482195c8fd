// Shared by `npm start` and `npm test`: make sure pnpm and the workspace's dependencies are there.
// Plain JavaScript with no dependencies, because it runs before anything is installed.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const PNPM_VERSION = "10.34.9";

export function log(msg) {
  process.stdout.write(`\x1b[36m[burnrate]\x1b[0m ${msg}\n`);
}
export function fail(msg) {
  process.stderr.write(`\x1b[31m[burnrate]\x1b[0m ${msg}\n`);
  process.exit(1);
}

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, {
    stdio: "inherit",
    cwd: ROOT,
    ...opts,
    env: { ...process.env, ...opts.env },
  });
  if (r.error) fail(`${cmd} ${args.join(" ")}: ${r.error.message}`);
  if (r.status !== 0 && !opts.allowFail) fail(`'${cmd} ${args.join(" ")}' exited with ${r.status}`);
  return r.status ?? 1;
}

function works(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Returns how to call pnpm: the installed one if it is 10.x, else a global install, else npx. */
export function ensurePnpm() {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 20) fail(`Node ${process.versions.node} is too old: Burnrate needs Node 20 or newer.`);
  const v = works("pnpm", ["--version"]);
  if (v && v.startsWith("10.")) return ["pnpm"];
  log(`installing pnpm ${PNPM_VERSION}…`);
  const r = spawnSync("npm", ["install", "-g", `pnpm@${PNPM_VERSION}`], { stdio: "inherit" });
  if (r.status === 0 && works("pnpm", ["--version"])?.startsWith("10.")) return ["pnpm"];
  log("global install not possible; using npx");
  return ["npx", "--yes", `pnpm@${PNPM_VERSION}`];
}

/** pnpm install (frozen lockfile) when needed, then generate the Prisma client. */
export function installDeps(pnpm) {
  const stamp = path.join(ROOT, "node_modules/.modules.yaml");
  const lock = path.join(ROOT, "pnpm-lock.yaml");
  const fresh = existsSync(stamp) && statSync(stamp).mtimeMs >= statSync(lock).mtimeMs;
  if (!fresh) {
    log("installing dependencies…");
    run(pnpm[0], [...pnpm.slice(1), "install", "--frozen-lockfile"], { env: { CI: "true" } });
  }
  run(pnpm[0], [...pnpm.slice(1), "--silent", "db:generate"]);
}
