import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LATENCY_BUCKETS } from "@burnrate/contracts";
import { upsertRollups } from "@burnrate/db";
import { MINUTE_MS } from "@burnrate/slo-core";
import { call, startStack, waitFor, type Stack } from "./harness";
import { startSmtpSink } from "./smtp-sink";

/**
 * Who SLA threshold notices reach: an SLA naming stakeholder groups tells exactly those groups' Slack channels,
 * emails and users (email and Slack direct message), instead of the owning team; an SLA naming none falls back
 * to the owning team's error budget policy notify channel.
 */
describe("SLA notices to business stakeholders", () => {
  let stack: Stack;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let groupId: string;
  let contractId: string;
  let fallbackId: string;
  const write: Record<string, (ok: number, failed: number) => Promise<void>> = {};

  beforeAll(async () => {
    sink = await startSmtpSink();
    stack = await startStack({ worker: true, evalEveryMs: 1000, smtpUrl: sink.url });
    await call(stack, "POST", "/api/v1/teams", {
      slug: "studies",
      name: "Studies",
      slackChannel: "#studies-slo",
    });
    for (const email of ["po@example.com", "ana@example.com"])
      expect(
        (
          await call(stack, "POST", "/api/v1/users", {
            email,
            name: email.split("@")[0],
            password: "a long password",
          })
        ).status,
      ).toBe(201);
    await call(stack, "PUT", "/api/v1/teams/studies/members", { email: "po@example.com", role: "viewer" });
    const policy = await call(stack, "PUT", "/api/v1/teams/studies/policy", {
      scope: "studies",
      purpose: "budget",
      conditions: [
        {
          id: "c",
          type: "consumed",
          percent: 50,
          consequences: [{ type: "notify", channel: "#studies-policy" }],
        },
      ],
      escalation: "head of engineering",
      agreedBy: [],
      reason: "fallback fixture",
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
    expect(
      (
        await call(stack, "POST", "/api/v1/stakeholder-rings", {
          number: 1,
          name: "Business",
          emails: ["ring@example.com"],
        })
      ).status,
    ).toBe(201);
    const group = await call(stack, "POST", "/api/v1/stakeholder-groups", {
      ring: 1,
      name: "Account managers",
      slackChannels: ["#business-sla"], // stored as "business-sla"
      emails: ["cfo@example.com"],
      users: ["ana@example.com"],
    });
    expect(group.status).toBe(201);
    groupId = group.body!.id;
    const region = await stack.db.region.create({ data: { slug: "prod-us", name: "prod-us" } });
    const minute = Math.floor((Date.now() - 3 * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
    for (const slug of ["attachments", "uploads"]) {
      await call(stack, "POST", "/api/v1/services", { slug, name: slug, team: "studies" });
      const service = await stack.db.service.findFirstOrThrow({ where: { slug } });
      const endpoint = await stack.db.endpoint.create({
        data: { serviceId: service.id, method: "GET", route: `/${slug}` },
      });
      write[slug] = async (ok, failed) => {
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
    }
  });
  afterAll(async () => {
    await stack?.stop();
    await sink?.stop();
  });

  const sla = (name: string, service: string, extra: object = {}) =>
    call(stack, "POST", "/api/v1/slas", {
      name,
      services: [service],
      objectivePercent: 99,
      window: { type: "calendar", period: "month", timeZone: "UTC" },
      thresholds: [50],
      ...extra,
    });

  it("rejects unknown or malformed stakeholder groups, naming the field", async () => {
    const unknown = await sla("Bad groups", "attachments", {
      notify: { stakeholderGroups: ["00000000-0000-4000-8000-000000000000"] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body!.error.message).toContain("notify.stakeholderGroups[0]");
    const malformed = await sla("Bad groups", "attachments", { notify: { stakeholderGroups: ["sales"] } });
    expect(malformed.status).toBe(400);
    expect(malformed.body!.error.message).toContain("notify.stakeholderGroups");
    expect(await stack.db.sla.count()).toBe(0);
  });

  it("sends a notice to exactly the named group's channel, email and user, once", async () => {
    const created = await sla("Attachments contract", "attachments", {
      notify: { stakeholderGroups: [groupId] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body!.notify).toEqual({ stakeholderGroups: [groupId] });
    contractId = created.body!.id;
    await write.attachments!(994, 6); // 60% of a 1% budget
    const dm = `D${stack.slack.userOf("ana@example.com").slice(1)}`;
    await waitFor(
      "the channel post and the direct message",
      async () =>
        stack.slack.messages.some((m) => m.channel === "business-sla") &&
        stack.slack.topLevel(dm).length === 1,
      30_000,
    );
    await new Promise((r) => setTimeout(r, 4000)); // several more runs of the job
    const posts = stack.slack.messages.filter((m) => m.text.includes("Attachments contract"));
    expect(posts.map((m) => m.channel).sort()).toEqual(["business-sla", dm].sort());
    expect(posts.every((m) => m.text.includes("threshold 50%"))).toBe(true);
    const mails = sink.mails.filter((m) => m.messageId.includes(`sla-${contractId}-`));
    expect(mails.map((m) => m.to[0]).sort()).toEqual(["ana@example.com", "cfo@example.com"]);
    expect(await stack.db.slaNotice.count({ where: { slaId: contractId } })).toBe(1);
  });

  it("without a group, falls back to the owning team's policy notify channel", async () => {
    const created = await sla("Uploads contract", "uploads");
    expect(created.status).toBe(201);
    expect(created.body!.notify).toEqual({ stakeholderGroups: [] });
    fallbackId = created.body!.id;
    await write.uploads!(994, 6);
    await waitFor(
      "the policy channel notice",
      async () => stack.slack.messages.some((m) => m.text.includes("Uploads contract")),
      30_000,
    );
    await new Promise((r) => setTimeout(r, 3000));
    const posts = stack.slack.messages.filter((m) => m.text.includes("Uploads contract"));
    expect(posts.map((m) => m.channel)).toEqual(["#studies-policy"]);
    const mails = sink.mails.filter((m) => m.messageId.includes(`sla-${fallbackId}-`));
    expect(mails.map((m) => m.to[0])).toEqual(["po@example.com"]);
  });

  it("a patch can name the groups, and an unknown one is refused", async () => {
    const bad = await call(stack, "PATCH", `/api/v1/slas/${fallbackId}`, {
      notify: { stakeholderGroups: [groupId, "00000000-0000-4000-8000-000000000001"] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body!.error.message).toContain("notify.stakeholderGroups[1]");
    const ok = await call(stack, "PATCH", `/api/v1/slas/${fallbackId}`, {
      notify: { stakeholderGroups: [groupId] },
    });
    expect(ok.status).toBe(200);
    expect(ok.body!.notify).toEqual({ stakeholderGroups: [groupId] });
  });
});
