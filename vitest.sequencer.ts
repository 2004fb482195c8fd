import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The integration files that take longest (seconds on a quiet 2-core machine, from a full run), started first:
 * with two workers the longest files then overlap instead of one of them running alone at the end. Vitest
 * learns the same from its own cache, but a fresh clone (CI) has none. Files not listed keep Vitest's order.
 */
const SLOW: Record<string, number> = {
  "apps/api/test/alerting-delivery.int.test.ts": 84,
  "apps/api/test/alerting-crash.int.test.ts": 82,
  "apps/api/test/escalation.int.test.ts": 70,
  "apps/api/test/evaluation-workers.int.test.ts": 62,
  "apps/api/test/authz.int.test.ts": 60,
  "apps/api/test/receivers-crash.int.test.ts": 44,
  "apps/api/test/cli.int.test.ts": 39,
  "apps/api/test/slack-exactly-once.int.test.ts": 30,
  "apps/api/test/alerting-latency.int.test.ts": 23,
  "apps/api/test/replay-equals-worker.int.test.ts": 20,
  "apps/api/test/alerting.int.test.ts": 18,
  "apps/api/test/stakeholders.int.test.ts": 17,
  "apps/api/test/backfill-queue.int.test.ts": 14,
  "apps/api/test/worker-self-healing.int.test.ts": 13,
  "apps/api/test/evaluation-crash.int.test.ts": 13,
};

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const weight = (f: TestSpecification) =>
      SLOW[relative(this.ctx.config.root, f.moduleId).split("\\").join("/")] ?? 0;
    // Array.prototype.sort is stable: unlisted files keep the order Vitest chose.
    return sorted.sort((a, b) => weight(b) - weight(a));
  }
}
