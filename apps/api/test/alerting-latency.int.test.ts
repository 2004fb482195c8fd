import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertsOf, ingest, setupSlo, traffic } from "./alerting-helpers";
import { startStack, type Stack } from "./harness";

/**
 * a full outage of a 99.9% SLO at 10 req/s posts to Slack within 2 minutes of the first bad
 * request. An hour of healthy traffic first (so the 1 h window is full of good requests, the worst case for the
 * fast-page tier), then live 1-second batches of 10 failures with real timestamps until the post arrives.
 */
describe("time to the first page", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ worker: true, evalEveryMs: 1000 });
  });
  afterAll(async () => stack?.stop());

  it("a full outage at 10 req/s is posted within 2 minutes of the first bad request", async () => {
    const channel = "#live-slo-breaches";
    const sloId = await setupSlo(stack, {
      team: "live",
      channel,
      service: "live-api",
      objectivePercent: 99.9,
    });
    const start = Date.now();
    for (let q = 0; q < 4; q++)
      await ingest(
        stack,
        "live-api",
        traffic(start - (60 - q * 15) * 60_000, start - (45 - q * 15) * 60_000, 9000, 0),
      );
    const firstBad = Date.now();
    let posted: number | null = null;
    let paged: number | null = null;
    let sent = 0;
    // Keep the outage going until the alert is a page (the slow-ticket tier, factor 0.93, fires first).
    while (paged === null && Date.now() - firstBad < 150_000) {
      const t = Date.now();
      await ingest(
        stack,
        "live-api",
        Array.from({ length: 10 }, (_, i) => ({ ts: t + i * 100, status: 503 })),
      );
      sent += 10;
      const post = stack.slack.calls.find(
        (c) => c.method === "chat.postMessage" && c.body.channel === channel,
      );
      if (post && posted === null) posted = post.at;
      const page = stack.slack.calls.find(
        (c) =>
          c.method.startsWith("chat.") &&
          c.body.channel === channel &&
          String(c.body.text ?? "").startsWith(":rotating_light: Page"),
      );
      if (page) paged = page.at;
      else await new Promise((r) => setTimeout(r, Math.max(0, t + 1000 - Date.now())));
    }
    expect(posted).not.toBeNull();
    expect(paged).not.toBeNull();
    const delayMs = posted! - firstBad;
    const pageMs = paged! - firstBad;
    console.log(
      `first Slack post ${(delayMs / 1000).toFixed(1)} s after the first bad request; page ${(pageMs / 1000).toFixed(1)} s (${sent} failures sent, eval every 1 s)`,
    );
    expect(delayMs).toBeLessThan(120_000);
    expect(pageMs).toBeLessThan(120_000);
    const [alert] = await alertsOf(stack, sloId);
    expect(alert).toMatchObject({ severity: "page", state: "firing" });
    // One message for the incident: the ticket became the page in place.
    // On a failure, each top-level message is named by its time, its key and its first words.
    const top = stack.slack
      .topLevel(channel)
      .map(
        (m) =>
          `${new Date(Number(m.ts) * 1000).toISOString()} ${String(m.metadata?.event_payload?.key)} ${m.text.slice(0, 100)}`,
      );
    expect(top, top.join("\n")).toHaveLength(1);
  }, 200_000);
});
