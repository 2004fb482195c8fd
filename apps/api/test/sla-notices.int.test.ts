import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LATENCY_BUCKETS } from "@burnrate/contracts";
import { upsertRollups } from "@burnrate/db";
import { MINUTE_MS } from "@burnrate/slo-core";
import { call, startStack, waitFor, type Stack } from "./harness";
import { startSmtpSink } from "./smtp-sink";

/**
 * SLA budget thresholds (default 50%, 80%, 100% consumed) notified in the owning team's Slack channel by the
 * worker's SLA notice job (every second here), once per SLA × period × threshold.
 */
describe("SLA threshold notices", () => {
  let stack: Stack;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let slaId: string;
  let write: (ok: number, failed: number) => Promise<void>;

  beforeAll(async () => {
    sink = await startSmtpSink();
    stack = await startStack({ worker: true, evalEveryMs: 1000, smtpUrl: sink.url });
    await call(stack, "POST", "/api/v1/teams", {
      slug: "studies",
      name: "Studies",
      slackChannel: "#studies-slo",
    });
    await call(stack, "POST", "/api/v1/users", {
      email: "po@example.com",
      name: "Po",
      password: "a long password",
    });
    await call(stack, "PUT", "/api/v1/teams/studies/members", { email: "po@example.com", role: "viewer" });
    await call(stack, "POST", "/api/v1/services", {
      slug: "attachments",
      name: "Attachments",
      team: "studies",
    });
    const created = await call(stack, "POST", "/api/v1/slas", {
      name: "Attachments available 99% per month",
      services: ["attachments"],
      objectivePercent: 99,
      window: { type: "calendar", period: "month", timeZone: "UTC" },
      credits: "5% service credit",
    });
    expect(created.status).toBe(201);
    slaId = created.body!.id;
    const service = await stack.db.service.findFirstOrThrow({ where: { slug: "attachments" } });
    const endpoint = await stack.db.endpoint.create({
      data: { serviceId: service.id, method: "GET", route: "/attachments" },
    });
    const region = await stack.db.region.create({ data: { slug: "prod-us", name: "prod-us" } });
    // Requests a few minutes ago (this month's period); each call adds to the same minute.
    const minute = Math.floor((Date.now() - 3 * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
    write = async (ok, failed) => {
      const row = (status: number, count: number) => ({
        serviceId: service.id,
        endpointId: endpoint.id,
        regionId: region.id,
        minuteMs: minute,
        status,
        count,
        latency: [count, ...new Array<number>(LATENCY_BUCKETS - 1).fill(0)],
      });
      await upsertRollups(stack.db, [row(200, ok), row(503, failed)]);
    };
  });
  afterAll(async () => {
    await stack?.stop();
    await sink?.stop();
  });

  const notices = () =>
    stack.slack.messages.filter((m) => m.text.includes("Attachments available 99% per month"));

  it("posts one notice when 50% of the budget is consumed, and none on the next cycles", async () => {
    // 6 failed of 1 000 with a 1% budget (10 requests): 60% consumed.
    await write(994, 6);
    const first = await waitFor("the 50% notice", async () => notices()[0], 30_000);
    expect(first.channel).toBe("#studies-slo");
    expect(first.text).toContain("has consumed 60% of its error budget");
    expect(first.text).toContain("threshold 50%");
    expect(first.text).toContain("40% of the budget is left");
    expect(first.text).toContain("5% service credit");
    expect(first.text).toContain(`/slas/${slaId}`);
    // The job runs every second: several more cycles post nothing.
    await new Promise((r) => setTimeout(r, 4000));
    expect(notices()).toHaveLength(1);
    const rows = await stack.db.slaNotice.findMany({ where: { slaId } });
    expect(rows.map((r) => r.threshold)).toEqual([50]);
    const deliveries = await stack.db.slackDelivery.findMany({ where: { kind: "sla" } });
    expect(deliveries.map((d) => [d.channel, d.status])).toEqual([["#studies-slo", "sent"]]);
    // The team's members get one email for it (the 50% notice).
    const mails = sink.mails.filter((m) => m.messageId.includes(`sla-${slaId}-`));
    expect(mails.map((m) => m.to[0])).toEqual(["po@example.com"]);
    expect(mails[0]!.messageId).toContain("-50-po@example.com@burnrate");
    expect(mails[0]!.body).toContain("has consumed 60% of its error");
  });

  it("posts the 80% and 100% thresholds once each when they are crossed later in the period", async () => {
    // 11 failed of 2 000 (20 allowed): 55%; then 17 of 2 006: 85%; then 27 of 2 016: 134%.
    await write(995, 5);
    await new Promise((r) => setTimeout(r, 2500));
    expect(notices()).toHaveLength(1);
    await write(0, 6);
    const second = await waitFor("the 80% notice", async () => notices()[1], 30_000);
    expect(second.text).toContain("threshold 80%");
    await write(0, 10);
    const third = await waitFor("the 100% notice", async () => notices()[2], 30_000);
    expect(third.text).toContain("threshold 100%");
    expect(third.text).toContain("The budget is exhausted");
    await new Promise((r) => setTimeout(r, 3000));
    expect(notices()).toHaveLength(3);
    const rows = await stack.db.slaNotice.findMany({ where: { slaId }, orderBy: { threshold: "asc" } });
    expect(rows.map((r) => r.threshold)).toEqual([50, 80, 100]);
    expect(new Set(rows.map((r) => r.periodStart.getTime())).size).toBe(1);
  });
});
