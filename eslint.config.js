import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "**/generated/**",
      "test-results/**",
      "playwright-report/**",
      ".data/**",
      "coverage/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      ecmaVersion: 2023,
      sourceType: "module",
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "@typescript-eslint/no-explicit-any": "off",
      "no-console": "off",
    },
  },
  {
    // The pure core: no I/O, no clock, no dependencies.
    files: ["packages/slo-core/src/**/*.ts"],
    ignores: ["packages/slo-core/src/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["node:*", "fs", "path", "os", "http", "crypto"],
              message: "slo-core is pure: no node modules",
            },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: "slo-core takes time as a parameter",
        },
      ],
    },
  },
  {
    // Ingest turns outside data into records and counts; storing them is the API's and the worker's job.
    files: ["packages/ingest/src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@burnrate/db", "@burnrate/db/*", "@prisma/*", "pg", "fastify", "bullmq", "ioredis"],
              message: "ingest never imports db (nor Prisma, pg, fastify, bullmq or ioredis)",
            },
          ],
        },
      ],
    },
  },
  {
    // Contracts are schemas and types: zod, slo-core and each other, nothing else.
    files: ["packages/contracts/src/**/*.ts"],
    ignores: ["packages/contracts/src/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(?!zod$|@burnrate/slo-core$|\\.{1,2}/)",
              message: "contracts import only zod and @burnrate/slo-core",
            },
          ],
        },
      ],
    },
  },
  {
    // Use cases depend on the permission API (apps/api/src/auth), never on the HTTP transport.
    files: ["apps/api/src/services/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/plugins/**", "**/routes/**", "fastify", "@fastify/*"],
              message: "services never import plugins or routes",
            },
          ],
        },
      ],
    },
  },
  {
    // Jobs are added through @burnrate/jobs (its enqueue and queues): one producer, one policy per job.
    // Process metrics come from @burnrate/telemetry: prom-client's own would wake an idle process every second.
    files: ["apps/*/src/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "NewExpression[callee.name='Queue']",
          message: "open queues with createJobQueues from @burnrate/jobs",
        },
        {
          selector: "CallExpression[callee.name='collectDefaultMetrics']",
          message: "collect process metrics with collectProcessMetrics from @burnrate/telemetry",
        },
      ],
    },
  },
  {
    // Config is read once: each app's config.ts parses the environment with zod and the typed object is passed
    // down; packages never read env. The exceptions:
    //  - apps/*/src/config.ts: the one place each app reads its environment (loadApiConfig, loadWorkerConfig);
    //  - tests (x.test.ts, x.int.test.ts): they build config explicitly, and read only the test servers' URLs;
    //  - the process edges outside src (apps/cli/bin/burnrate.mjs hands process.env to the CLI's main; scripts/)
    //    are not matched by these globs.
    files: ["apps/*/src/**/*.{ts,tsx}", "packages/*/src/**/*.{ts,tsx}"],
    ignores: ["apps/*/src/config.ts", "**/*.test.{ts,tsx}"],
    rules: {
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "read the environment only in the app's config.ts and pass the typed config down",
        },
      ],
    },
  },
  {
    // The web app never reaches for server-side packages.
    files: ["apps/web/src/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@burnrate/db", "@burnrate/slack", "@prisma/*", "bullmq", "ioredis", "pg"],
              message: "web imports only contracts and slo-core",
            },
          ],
        },
      ],
    },
  },
);
