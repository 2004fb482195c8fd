import { blockKitProblems } from "@burnrate/slack/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TWO_TIERS, alertsOf, ingest, traffic } from "./alerting-helpers";
import { call, startStack, waitFor, type Stack } from "./harness";

/** A filter of exactly `n` characters that matches every request (a long "not this route" list). */
function longFilter(prefix: string, n: number): string {
  const head = `${prefix} and route != "`;
  return `${head}${"<!channel>&".repeat(n).slice(0, n - head.length - 1)}"`;
}

/**
 * User text reaches Slack escaped and within Block Kit's limits, through the real worker and a fake Slack that
 * refuses blocks over the limits (`invalid_blocks`) as Slack does.
 */
describe("hostile names and the longest filters in Slack", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ worker: true, evalEveryMs: 1000 });
  });
  afterAll(async () => stack?.stop());

  it("posts the alert of a ratio SLO with 2,000-character filters and names like <!channel>", async () => {
    const channel = "#hostile-slo-breaches";
    const hostile = "<!channel> <https://evil.example|x> & co";
    expect(
      (await call(stack, "POST", "/api/v1/teams", { slug: "hostile", name: hostile, slackChannel: channel }))
        .status,
    ).toBe(201);
    expect(
      (await call(stack, "POST", "/api/v1/services", { slug: "hostile-api", name: hostile, team: "hostile" }))
        .status,
    ).toBe(201);
    const good = longFilter("status < 500", 2000);
    const total = longFilter("true", 2000);
    expect(good).toHaveLength(2000);
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service: "hostile-api",
      name: hostile,
      sli: { type: "ratio", good, total },
      objectivePercent: 99,
      window: { type: "rolling", days: 28 },
      alerting: TWO_TIERS,
    });
    expect(slo.status, JSON.stringify(slo.body)).toBe(201);
    const sloId = slo.body!.id as string;
    expect(
      (await call(stack, "POST", "/api/v1/deployments", { service: "hostile-api", version: hostile })).status,
    ).toBe(201);
    const now = Date.now();
    await ingest(stack, "hostile-api", traffic(now - 20 * 60_000, now, 800, 10));
    const [msg] = await waitFor("the alert's message", async () => {
      const m = stack.slack.topLevel(channel);
      return m.length ? m : null;
    });
    expect(blockKitProblems(msg!)).toEqual([]);
    const sentence = JSON.stringify(msg!.blocks);
    expect(sentence).toContain("full text on the SLO page");
    expect(msg!.text).toContain("&lt;!channel&gt; &lt;https://evil.example|x&gt; &amp; co");
    const [alert] = await alertsOf(stack, sloId);
    const delivery = await waitFor("the delivery on the record", async () => {
      const d = await stack.db.slackDelivery.findFirst({ where: { alertId: alert!.id } });
      return d?.status === "sent" ? d : null;
    });
    expect(delivery.error).toBeNull();
    expect(
      stack.slack.calls.filter((c) => c.method === "chat.postMessage" && c.body.channel === channel),
    ).toHaveLength(1);
  });
});
