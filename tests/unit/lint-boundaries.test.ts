/**
 * The boundaries in eslint.config.js hold: each rule reports a small deliberate violation with its message,
 * and code that keeps to the boundaries is not reported. A later config object that sets the same rule for
 * the same files replaces the earlier one's options (flat config does not merge them), so a rule silently
 * dropped that way fails here.
 */
import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

/**
 * One row per boundary: a violation, the file it is linted as (the file need not exist), the rule and the
 * message it must report. Adding a boundary to eslint.config.js = adding its row here.
 */
const BOUNDARY_VIOLATIONS: {
  name: string;
  filePath: string;
  code: string;
  ruleId: string;
  message: string;
}[] = [
  {
    name: "a service reads process.env",
    filePath: "apps/api/src/services/slos/create-slo.ts",
    code: "export const url = process.env.PUBLIC_URL;\n",
    ruleId: "no-restricted-properties",
    message: "read the environment only in the app's config.ts and pass the typed config down",
  },
  {
    name: "a service destructures env from process",
    filePath: "apps/api/src/services/slos/create-slo.ts",
    code: "const { env } = process;\nexport const url = env.PUBLIC_URL;\n",
    ruleId: "no-restricted-properties",
    message: "read the environment only in the app's config.ts and pass the typed config down",
  },
  {
    name: "a worker job reads process.env",
    filePath: "apps/worker/src/jobs/retention.ts",
    code: 'export const every = Number(process.env["BURNRATE_RETENTION_EVERY_MS"]);\n',
    ruleId: "no-restricted-properties",
    message: "read the environment only in the app's config.ts and pass the typed config down",
  },
  {
    name: "a package reads process.env",
    filePath: "packages/db/src/client.ts",
    code: "export const url = process.env.DATABASE_URL;\n",
    ruleId: "no-restricted-properties",
    message: "read the environment only in the app's config.ts and pass the typed config down",
  },
  {
    name: "a web page imports @burnrate/db",
    filePath: "apps/web/src/features/slo/slo-page.tsx",
    code: 'import { createDb } from "@burnrate/db";\nexport const db = createDb;\n',
    ruleId: "no-restricted-imports",
    message: "web imports only contracts and slo-core",
  },
  {
    name: "a web hook imports bullmq",
    filePath: "apps/web/src/api/hooks.ts",
    code: 'import { Queue } from "bullmq";\nexport const q = Queue;\n',
    ruleId: "no-restricted-imports",
    message: "web imports only contracts and slo-core",
  },
  {
    name: "slo-core imports node:fs",
    filePath: "packages/slo-core/src/burn-rate.ts",
    code: 'import { readFileSync } from "node:fs";\nexport const read = readFileSync;\n',
    ruleId: "no-restricted-imports",
    message: "slo-core is pure: no node modules",
  },
  {
    name: "slo-core reads the clock",
    filePath: "packages/slo-core/src/burn-rate.ts",
    code: "export const nowMs = () => Date.now();\n",
    ruleId: "no-restricted-syntax",
    message: "slo-core takes time as a parameter",
  },
  {
    name: "a service imports a plugin",
    filePath: "apps/api/src/services/slos/create-slo.ts",
    code: 'import { authPlugin } from "../../plugins/auth";\nexport const p = authPlugin;\n',
    ruleId: "no-restricted-imports",
    message: "services never import plugins or routes",
  },
  {
    name: "a service imports a route",
    filePath: "apps/api/src/services/slos/create-slo.ts",
    code: 'import { sloRoutes } from "../../routes/slos";\nexport const r = sloRoutes;\n',
    ruleId: "no-restricted-imports",
    message: "services never import plugins or routes",
  },
  {
    name: "ingest imports @burnrate/db",
    filePath: "packages/ingest/src/sources/ndjson/ndjson-parser.ts",
    code: 'import { createDb } from "@burnrate/db";\nexport const db = createDb;\n',
    ruleId: "no-restricted-imports",
    message: "ingest never imports db (nor Prisma, pg, fastify, bullmq or ioredis)",
  },
  {
    name: "contracts import @burnrate/db",
    filePath: "packages/contracts/src/slo.ts",
    code: 'import { createDb } from "@burnrate/db";\nexport const db = createDb;\n',
    ruleId: "no-restricted-imports",
    message: "contracts import only zod and @burnrate/slo-core",
  },
  {
    name: "the API opens a BullMQ queue",
    filePath: "apps/api/src/services/slos/create-slo.ts",
    code: 'import { Queue } from "bullmq";\nexport const q = new Queue("burnrate");\n',
    ruleId: "no-restricted-syntax",
    message: "open queues with createJobQueues from @burnrate/jobs",
  },
  {
    name: "the worker opens a BullMQ queue",
    filePath: "apps/worker/src/worker.ts",
    code: 'import { Queue } from "bullmq";\nexport const q = new Queue("burnrate");\n',
    ruleId: "no-restricted-syntax",
    message: "open queues with createJobQueues from @burnrate/jobs",
  },
  {
    name: "the API collects prom-client's default metrics itself",
    filePath: "apps/api/src/app.ts",
    code: 'import { collectDefaultMetrics } from "prom-client";\ncollectDefaultMetrics();\n',
    ruleId: "no-restricted-syntax",
    message: "collect process metrics with collectProcessMetrics from @burnrate/telemetry",
  },
];

/** Code that keeps to every boundary, in files the rules above look at (and the allowed exceptions). */
const WITHIN_BOUNDARIES: { name: string; filePath: string; code: string }[] = [
  {
    name: "a service takes its config and database as arguments",
    filePath: "apps/api/src/services/slos/create-slo.ts",
    code: [
      'import { ValidationError } from "@burnrate/contracts";',
      'import type { Db } from "@burnrate/db";',
      'import { MINUTE_MS } from "@burnrate/slo-core";',
      "export function check(deps: { db: Db; config: { PUBLIC_URL: string } }, ms: number): string {",
      '  if (ms < MINUTE_MS) throw new ValidationError("too short");',
      "  return deps.config.PUBLIC_URL;",
      "}",
      "",
    ].join("\n"),
  },
  {
    name: "an app's config.ts reads the environment",
    filePath: "apps/worker/src/config.ts",
    code: "export const loadConfig = (env: Record<string, string | undefined> = process.env) => env;\n",
  },
  {
    name: "a test reads the test server's URL",
    filePath: "packages/jobs/src/job-queues.int.test.ts",
    code: 'export const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";\n',
  },
  {
    name: "a web page imports contracts and slo-core",
    filePath: "apps/web/src/features/slo/slo-page.tsx",
    code: [
      'import type { SloResponse } from "@burnrate/contracts";',
      'import { HOUR_MS } from "@burnrate/slo-core";',
      "export const title = (s: SloResponse) => `${s.name} (${HOUR_MS})`;",
      "",
    ].join("\n"),
  },
  {
    name: "slo-core takes time as a parameter",
    filePath: "packages/slo-core/src/burn-rate.ts",
    code: 'import { MINUTE_MS } from "./time-units.js";\nexport const minuteOf = (nowMs: number) => Math.floor(nowMs / MINUTE_MS);\n',
  },
  {
    name: "contracts import zod and slo-core",
    filePath: "packages/contracts/src/slo.ts",
    code: [
      'import { isTimeZone } from "@burnrate/slo-core";',
      'import { z } from "zod";',
      "export const Zone = z.string().refine(isTimeZone);",
      "",
    ].join("\n"),
  },
  {
    name: "the worker collects process metrics through @burnrate/telemetry",
    filePath: "apps/worker/src/metrics.ts",
    code: 'import { collectProcessMetrics } from "@burnrate/telemetry";\nexport const collect = collectProcessMetrics;\n',
  },
  {
    name: "the worker adds jobs through @burnrate/jobs",
    filePath: "apps/worker/src/worker.ts",
    code: 'import { createJobQueues } from "@burnrate/jobs";\nexport const open = createJobQueues;\n',
  },
];

describe("the boundary lint rules", () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, "eslint.config.js") });
  });

  const lint = async (code: string, filePath: string) => {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
    return result!.messages.map((m) => ({ ruleId: m.ruleId, message: m.message }));
  };

  it.each(BOUNDARY_VIOLATIONS)("$name: reported", async ({ code, filePath, ruleId, message }) => {
    const messages = await lint(code, filePath);
    expect(messages).toContainEqual({ ruleId, message: expect.stringContaining(message) });
  });

  it.each(WITHIN_BOUNDARIES)("$name: not reported", async ({ code, filePath }) => {
    expect(await lint(code, filePath)).toEqual([]);
  });
});
