import { defineConfig } from "vitest/config";
import SlowFirstSequencer from "./vitest.sequencer";

export default defineConfig({
  test: {
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      {
        test: {
          name: "unit",
          include: [
            "packages/*/src/**/*.test.ts",
            "apps/*/src/**/*.test.{ts,tsx}",
            "tests/unit/**/*.test.ts",
            "scripts/**/*.test.ts",
          ],
          exclude: ["**/*.int.test.ts", "**/node_modules/**"],
          environment: "node",
          // A hang detector, not a speed limit: the property and generator tests take seconds when lint,
          // typecheck and the web build share the cores with them (CI runs the four side by side).
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "int",
          include: [
            "apps/*/test/**/*.int.test.ts",
            "packages/*/src/**/*.int.test.ts",
            "tests/int/**/*.int.test.ts",
          ],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Two files at a time: with three, the files whose worker must evaluate fresh traffic within a minute
          // (policy, policy dry run) missed it now and then.
          maxWorkers: Number(process.env.BURNRATE_INT_WORKERS ?? 2),
        },
      },
    ],
  },
});
