/**
 * `pnpm chaos`: Burnrate's fault runs, on loopback, bounded in time, with figures. Each scenario brings up what
 * it needs (its own redis-server / PostgreSQL when it kills them, see scripts/chaos/lib.ts) and cleans up.
 *   pnpm chaos                  every scenario, full length
 *   pnpm chaos --quick          shorter runs
 *   pnpm chaos --only=NAME[,..] only the scenarios whose module or name starts with NAME
 * Exit code 1 when a check missed its target.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { MINUTE_MS, SECOND_MS } from "../packages/slo-core/src/time-units.ts";
import type { ChaosRow, ChaosScenario } from "./chaos/lib.ts";

const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = process.argv.includes("--quick");
const only = flag("only")?.split(",");
const started = Date.now();
const log = (msg: string) =>
  console.error(`chaos ${((Date.now() - started) / SECOND_MS).toFixed(0).padStart(4)}s: ${msg}`);

const hardStop = setTimeout(() => {
  console.error("chaos: over 30 minutes, giving up");
  process.exit(2);
}, 30 * MINUTE_MS);
hardStop.unref();

const dir = path.join(import.meta.dirname, "chaos");
const modules = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "lib.ts" && !f.endsWith(".test.ts"))
  .sort();
const rows: ChaosRow[] = [];
for (const file of modules) {
  const mod = (await import(path.join(dir, file))) as { scenarios?: ChaosScenario[] };
  for (const s of mod.scenarios ?? []) {
    const key = file.replace(/\.ts$/, "");
    if (only && !only.some((o) => key.startsWith(o) || s.name.startsWith(o))) continue;
    log(`${s.name}…`);
    const t0 = Date.now();
    try {
      rows.push(...(await s.run({ log: (m) => log(`${s.name}: ${m}`), quick })));
    } catch (e) {
      rows.push({
        scenario: s.name,
        check: "ran to the end",
        value: String((e as Error).stack ?? e),
        target: "no error",
        ok: false,
      });
    }
    log(`${s.name} done in ${((Date.now() - t0) / SECOND_MS).toFixed(1)} s`);
  }
}

const cols = ["scenario", "check", "value", "target", "ok"] as const;
const cells = rows.map((r) => [r.scenario, r.check, r.value, r.target, r.ok ? "met" : "MISSED"]);
const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
const line = (r: readonly string[]) => `| ${r.map((v, i) => v.padEnd(widths[i]!)).join(" | ")} |`;
console.log(line(cols));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const r of cells) console.log(line(r));
const missed = rows.filter((r) => !r.ok).length;
console.log(
  `\nchaos: ${rows.length} checks, ${missed} missed, ${((Date.now() - started) / SECOND_MS).toFixed(0)} s${quick ? " (quick)" : ""}`,
);
process.exit(missed ? 1 : 0);
