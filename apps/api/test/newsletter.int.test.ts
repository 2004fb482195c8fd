import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LATENCY_BUCKETS } from "@burnrate/contracts";
import { upsertRollups } from "@burnrate/db";
import { HOUR_MS, MINUTE_MS } from "@burnrate/slo-core";
import { call, startStack, waitFor, type Stack } from "./harness";
import { startSmtpSink } from "./smtp-sink";

/**
 * The weekly newsletter end to end, with the worker running on a clock of the test's own: the team sends it on
 * Mondays at 09:00 Europe/Berlin. The reported week (Mon 2026-03-23 … Sun 2026-03-29) ends with the change to
 * summer time, so it is 167 hours long and the send slot moves from 08:00 to 07:00 UTC. The issue reaches the
 * fake Slack and a real SMTP server (the first delivery refused with a 421, then retried, and each recipient
 * mailed exactly once); the numbers it carries equal the status API's and the periods report's for the week.
 */
const ZONE = "Europe/Berlin";
/** Local midnight of Monday 2026-03-23 (CET, UTC+1) and of Monday 2026-03-30 (CEST, UTC+2). */
const WEEK_START = Date.UTC(2026, 2, 22, 23, 0);
const WEEK_END = Date.UTC(2026, 2, 29, 22, 0);
/** Monday 2026-03-30 09:00 in Berlin is 07:00 UTC (it would be 08:00 UTC before the change). */
const SLOT = Date.UTC(2026, 2, 30, 7, 0);
let clock = SLOT - 2 * HOUR_MS;

/** The numbers one line of the newsletter's text prints, read back. */
interface PrintedLine {
  sliPercent: number;
  met: string;
  weekSpentPercent: number;
  leftPercent: number;
}
function readLines(text: string): Map<string, PrintedLine> {
  const out = new Map<string, PrintedLine>();
  const re =
    /^- (\S+) \/ (.+?): ([\d.]+)% (?:\S )?\(objective [\d.]+%, (met|broken)\), week budget used ([\d.]+)%, period budget left (-?[\d.]+)%$/gm;
  for (const m of text.matchAll(re))
    out.set(`${m[1]}/${m[2]}`, {
      sliPercent: Number(m[3]),
      met: m[4]!,
      weekSpentPercent: Number(m[5]),
      leftPercent: Number(m[6]),
    });
  return out;
}
/** The text part of a raw MIME message (quoted-printable or plain). */
function textPart(raw: string): string {
  const part = /Content-Type: text\/plain[^]*?\r?\n\r?\n([^]*?)\r?\n--/i.exec(raw)?.[1] ?? raw;
  const bytes = part.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => `%${h}`);
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/g, "%25")).replace(/\r\n/g, "\n");
}

describe("weekly newsletter, end to end", () => {
  let stack: Stack;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  const slos: Record<string, string> = {};

  beforeAll(async () => {
    sink = await startSmtpSink();
    stack = await startStack({ worker: true, evalEveryMs: 500, now: () => clock, smtpUrl: sink.url });
    await call(stack, "POST", "/api/v1/teams", { slug: "pay", name: "Payments", slackChannel: "#pay-news" });
    await call(stack, "POST", "/api/v1/services", { slug: "checkout", name: "Checkout", team: "pay" });
    const region = await stack.db.region.create({ data: { slug: "prod-eu", name: "prod-eu" } });
    // Two SLOs on calendar months in Berlin; March's only requests are in the reported week, so the month's
    // budget at the send slot is the week's.
    for (const [name, bad] of [
      ["Checkout availability", 5],
      ["Cart availability", 20],
    ] as const) {
      const r = await call(stack, "POST", "/api/v1/slos", {
        service: "checkout",
        name,
        endpoint: `GET /${name.split(" ")[0]!.toLowerCase()}`,
        sli: { type: "availability" },
        objectivePercent: 99.9,
        window: { type: "calendar", period: "month", timeZone: ZONE },
      });
      expect(r.status).toBe(201);
      slos[name] = r.body!.id;
      // 10 000 requests from the week's first minute on (60 a minute), `bad` of them failed in its first
      // minute, as ingest stores them (the SLO's backfill computes its SLI from them).
      const service = await stack.db.service.findFirstOrThrow({ where: { slug: "checkout" } });
      const route = `/${name.split(" ")[0]!.toLowerCase()}`;
      const endpoint =
        (await stack.db.endpoint.findFirst({ where: { serviceId: service.id, method: "GET", route } })) ??
        (await stack.db.endpoint.create({ data: { serviceId: service.id, method: "GET", route } }));
      const rows = [];
      let left = 10_000;
      for (let t = WEEK_START; left > 0; t += MINUTE_MS) {
        const total = Math.min(60, left);
        const failed = t === WEEK_START ? bad : 0;
        for (const [status, count] of [
          [200, total - failed],
          [503, failed],
        ] as const)
          if (count > 0)
            rows.push({
              serviceId: service.id,
              endpointId: endpoint.id,
              regionId: region.id,
              minuteMs: t,
              status,
              count,
              latency: [count, ...new Array<number>(LATENCY_BUCKETS - 1).fill(0)],
            });
        left -= total;
      }
      await upsertRollups(stack.db, rows);
    }
    // The SLOs' history is computed by the worker's backfill: wait for the week's 10 000 requests of each.
    for (const id of Object.values(slos))
      await waitFor(
        "the week's SLI",
        async () =>
          (await call(stack, "GET", `/api/v1/slos/${id}/status?at=${new Date(WEEK_END - 1).toISOString()}`))
            .body?.sli.total === 10_000,
        60_000,
      );
    // A P1 of the team's with its postmortem due in the week and not published, one action item due in the
    // week and one due after it: the week's issue lists the postmortem and the first item as overdue.
    const p1 = await call(stack, "POST", "/api/v1/incidents", {
      title: "Checkout failed in Europe",
      services: ["checkout"],
      priority: "P1",
      startedAt: new Date(WEEK_START + 26 * HOUR_MS).toISOString(),
    });
    expect(p1.status).toBe(201);
    await call(stack, "POST", `/api/v1/incidents/${p1.body!.id}/updates`, {
      state: "resolved",
      message: "ok",
    });
    await stack.db.postmortem.update({
      where: { incidentId: p1.body!.id },
      data: { dueAt: new Date(WEEK_START + 4 * 24 * HOUR_MS) },
    });
    for (const [title, dueDate] of [
      ["Add a canary stage to checkout", "2026-03-26"],
      ["Alert on checkout errors per card type", "2026-04-06"],
    ])
      expect(
        (
          await call(stack, "POST", `/api/v1/incidents/${p1.body!.id}/postmortem/action-items`, {
            title,
            owner: "po@example.com",
            dueDate,
          })
        ).status,
      ).toBe(201);
    // An SLO change in the week, with its reason (the versions' times set into the week: the database's clock
    // is not the test's), and the team's policy review due ten days after the week.
    const changed = await call(stack, "PATCH", `/api/v1/slos/${slos["Cart availability"]}`, {
      description: "GET /cart as the shop calls it",
      reason: "describe the endpoint for the quarterly review",
    });
    expect(changed.status).toBe(200);
    await stack.db.sloVersion.updateMany({
      where: { sloId: { in: Object.values(slos) } },
      data: { createdAt: new Date(WEEK_START + 26 * HOUR_MS) },
    });
    await stack.db.sloVersion.updateMany({
      where: { sloId: slos["Cart availability"], version: 2 },
      data: { createdAt: new Date(WEEK_START + 50 * HOUR_MS) },
    });
    const policy = await call(stack, "PUT", "/api/v1/teams/pay/policy", {
      scope: "All services of the Payments team",
      purpose: "Balance reliability and features",
      conditions: [{ id: "c", type: "exhausted", consequences: [{ type: "notify" }] }],
      escalation: "Head of engineering",
      agreedBy: [{ name: "D", role: "developer", date: "2026-03-01" }],
      nextReviewAt: "2026-04-08",
      reason: "first policy",
    });
    expect(policy.status).toBe(200);
    const put = await call(stack, "PUT", "/api/v1/teams/pay/newsletter/settings", {
      enabled: true,
      weekday: 1,
      time: "09:00",
      timeZone: ZONE,
      emails: ["po@example.com", "lead@example.com"],
    });
    expect(put.status).toBe(200);
  });
  afterAll(async () => {
    await stack?.stop();
    await sink?.stop();
  });

  // the newsletter's posts (the team's channel also gets other notices, e.g. of its policy)
  const posted = () =>
    stack.slack.messages.filter(
      (m) => m.channel === "#pay-news" && m.text.startsWith("Availability newsletter"),
    );

  it("waits for 09:00 Berlin time, which is 07:00 UTC after the change to summer time", async () => {
    // 06:59 UTC on the Monday is 08:59 in Berlin: not yet (a fixed UTC+1 would wait until 08:00 UTC).
    clock = SLOT - MINUTE_MS;
    await new Promise((r) => setTimeout(r, 2500));
    expect(posted()).toHaveLength(0);
    expect(await stack.db.newsletterIssue.count()).toBe(0);
    // The first SMTP delivery is refused for now (421); the next run sends it.
    sink.refuseNext(1, 421);
    clock = SLOT;
    await waitFor("the newsletter in Slack", async () => posted()[0], 30_000);
    await waitFor("both emails", async () => sink.mails.length >= 2 && sink.mails, 30_000);
    // More runs at later times of the same slot day send nothing more.
    clock = SLOT + 3 * HOUR_MS;
    await new Promise((r) => setTimeout(r, 3000));
    expect(posted()).toHaveLength(1);
    expect(sink.refused()).toBe(1);
    expect(sink.mails.map((m) => m.to[0]).sort()).toEqual(["lead@example.com", "po@example.com"]);
    const rows = await stack.db.emailDelivery.findMany({
      where: { kind: "newsletter" },
      orderBy: { to: "asc" },
    });
    expect(rows.map((r) => r.status)).toEqual(["sent", "sent"]);
    // one of them needed a second attempt; none a third
    expect(rows.map((r) => r.attempts).sort()).toEqual([1, 2]);
    const issues = await stack.db.newsletterIssue.findMany();
    expect(issues.map((i) => [i.scope, i.week])).toHaveLength(1);
    expect(issues[0]!.week).toBe("2026-03-23");
  });

  it("carries the numbers of the status API and the periods report for the same week", async () => {
    const preview = await call(stack, "GET", "/api/v1/teams/pay/newsletter?week=2026-03-23");
    expect(preview.status).toBe(200);
    const content = preview.body!.content as {
      week: { start: number; end: number; firstDay: string; lastDay: string };
      summary: { slos: number; met: number; broken: number };
      changes: { name: string; version: number; reason: string }[];
      policyReviews: { team: string; dueOn: string; overdue: boolean }[];
      slos: {
        sloId: string;
        name: string;
        service: string;
        weekGood: number;
        weekTotal: number;
        weekSli: number;
        met: boolean;
        weekBudgetSpent: number;
        budgetRemaining: number;
      }[];
    };
    // the week across the change: 167 hours, from local midnight to local midnight
    expect(content.week).toMatchObject({
      start: WEEK_START,
      end: WEEK_END,
      firstDay: "2026-03-23",
      lastDay: "2026-03-29",
    });
    expect((content.week.end - content.week.start) / HOUR_MS).toBe(167);
    // What was sent is what the preview shows for that week.
    const sent = await stack.db.newsletterIssue.findFirstOrThrow({ where: { week: "2026-03-23" } });
    // (the link differs only by the stack's API and worker public URLs)
    expect({ ...(sent.content as object), link: null }).toEqual({ ...content, link: null });

    const periods = await call(stack, "GET", "/api/v1/reports/periods?periods=1&team=pay");
    expect(periods.status).toBe(200);
    const slackText = posted()[0]!.text;
    const mailText = textPart(sink.mails[0]!.body);
    const inSlack = readLines(slackText);
    const inMail = readLines(mailText);
    let met = 0;
    for (const line of content.slos) {
      const status = await call(
        stack,
        "GET",
        `/api/v1/slos/${line.sloId}/status?at=${new Date(WEEK_END - 1).toISOString()}`,
      );
      expect(status.status).toBe(200);
      const s = status.body! as {
        objectivePercent: number;
        sli: { good: number; total: number; ratio: number };
        errorBudget: { remainingFraction: number };
      };
      // March's requests are the week's.
      expect(line.weekTotal).toBe(10_000);
      expect([line.weekGood, line.weekTotal]).toEqual([s.sli.good, s.sli.total]);
      expect(line.weekSli).toBe(s.sli.ratio);
      expect(line.budgetRemaining).toBe(s.errorBudget.remainingFraction);
      expect(line.met).toBe(s.sli.ratio * 100 >= s.objectivePercent);
      // the week's own budget: bad over allowed
      expect(line.weekBudgetSpent).toBeCloseTo((s.sli.total - s.sli.good) / (s.sli.total * 0.001), 9);
      if (line.met) met++;
      // The periods report's running month (no request since the week) ends with the same budget left.
      const row = (
        periods.body!.rows as { sloId: string; cells: { remainingAtEnd: number; complete: boolean }[] }[]
      ).find((r) => r.sloId === line.sloId)!;
      expect(row.cells.at(-1)!.complete).toBe(false);
      expect(row.cells.at(-1)!.remainingAtEnd).toBeCloseTo(line.budgetRemaining, 12);
      // Slack and the email print these numbers.
      for (const printed of [inSlack, inMail]) {
        const p = printed.get(`checkout/${line.name}`);
        expect(p, `${line.name} printed`).toBeDefined();
        expect(p!.sliPercent).toBe(Number((s.sli.ratio * 100).toFixed(3)));
        expect(p!.met).toBe(line.met ? "met" : "broken");
        expect(p!.weekSpentPercent).toBe(Number((line.weekBudgetSpent * 100).toFixed(1)));
        expect(p!.leftPercent).toBe(Number((s.errorBudget.remainingFraction * 100).toFixed(1)));
      }
    }
    // 5 bad of 10 000 at 99.9% is met (half the budget), 20 bad is broken (twice the budget)
    expect(met).toBe(1);
    expect(content.summary).toMatchObject({ slos: 2, met: 1, broken: 1 });
    for (const text of [slackText, mailText]) {
      expect(text).toContain("1 of 2 SLOs met their objective this week, 1 broken");
      expect(text).toContain("2026-03-23 – 2026-03-29 (Europe/Berlin)");
    }
    // The overdue postmortem and action item, in the content, the Slack message and the email.
    const overdue = (preview.body!.content as { overdue: { postmortems: object[]; actionItems: object[] } })
      .overdue;
    expect(overdue.postmortems).toEqual([
      expect.objectContaining({ title: expect.stringContaining("Checkout failed in Europe") }),
    ]);
    expect(overdue.actionItems).toEqual([
      expect.objectContaining({
        title: "Add a canary stage to checkout",
        dueDate: "2026-03-26",
        state: "new",
      }),
    ]);
    for (const text of [slackText, mailText]) {
      expect(text).toContain("Overdue from postmortems:");
      expect(text).toMatch(
        /- Postmortem of incident \d+: Incident \d+: Checkout failed in Europe \(due 2026-03-26\)/,
      );
      expect(text).toMatch(
        /- Action item of incident \d+: Add a canary stage to checkout \(due 2026-03-26, new\)/,
      );
      expect(text).not.toContain("Alert on checkout errors per card type");
    }
    expect(sink.mails[0]!.body).toContain("Overdue from postmortems");
    // The week's SLO changes with their reasons, and the policy review coming up, in the content and as printed.
    expect(content.changes.map((c) => [c.name, c.version, c.reason])).toEqual([
      ["Cart availability", 1, "created"],
      ["Checkout availability", 1, "created"],
      ["Cart availability", 2, "describe the endpoint for the quarterly review"],
    ]);
    expect(content.policyReviews).toEqual([{ team: "pay", dueOn: "2026-04-08", overdue: false }]);
    for (const text of [slackText, mailText]) {
      expect(text).toContain(
        "- checkout / Cart availability, version 2: describe the endpoint for the quarterly review",
      );
      expect(text).toContain("- pay: error budget policy review due 2026-04-08");
    }
    expect(sink.mails[0]!.body).toContain("Policy reviews coming up");
    // Slack's Block Kit limits: at most 50 blocks, a header of at most 150 characters, sections of 3,000
    const blocks = posted()[0]!.blocks as { type: string; text?: { text: string } }[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(blocks.find((b) => b.type === "header")!.text!.text.length).toBeLessThanOrEqual(150);
    for (const b of blocks.filter((x) => x.type === "section"))
      expect(b.text!.text.length).toBeLessThanOrEqual(3000);
    expect(blocks.some((b) => b.text?.text.startsWith("*SLO changes this week*"))).toBe(true);
    // (the subject is MIME-encoded: "Availability newsletter — Payments, week of 2026-03-23")
    expect(sink.mails[0]!.subject).toMatch(/Availability.newsletter.*week.of.2026-03-23/);
  });
});
