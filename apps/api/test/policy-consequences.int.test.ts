import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ndjson, startStack, waitFor, type Stack } from "./harness";

/** Notices and work items posted, and review reminders, each sent once, with user text escaped for Slack. */
describe("policy consequences and review reminders", () => {
  let stack: Stack;
  let hook: Server;
  const received: { body: Record<string, unknown> }[] = [];
  beforeAll(async () => {
    hook = createServer((req, res) => {
      let raw = "";
      req.on("data", (c) => (raw += String(c)));
      req.on("end", () => {
        received.push({ body: JSON.parse(raw) as Record<string, unknown> });
        res.writeHead(201).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
    stack = await startStack({ worker: true, evalEveryMs: 1000 });
    await call(stack, "POST", "/api/v1/teams", {
      slug: "search",
      name: "Search",
      slackChannel: "#search-slo",
    });
    await call(stack, "POST", "/api/v1/services", { slug: "finder", name: "Finder", team: "search" });
    await call(stack, "POST", "/api/v1/slos", {
      service: "finder",
      // User text that would ping the channel if it reached Slack's mrkdwn unescaped.
      name: "Finder <!channel> & availability",
      sli: { type: "availability" },
      objectivePercent: 99,
    });
    const today = new Date().toISOString().slice(0, 10);
    const put = await call(stack, "PUT", "/api/v1/teams/search/policy", {
      scope: "finder",
      purpose: "budget",
      conditions: [
        {
          id: "exhausted",
          type: "exhausted",
          consequences: [
            { type: "notify" },
            {
              type: "work_item",
              text: "Reliability sprint for finder",
              webhookUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/items`,
            },
          ],
        },
      ],
      escalation: "head of engineering",
      agreedBy: [
        { name: "D", role: "developer", date: today },
        { name: "O", role: "operations", date: today },
        { name: "P", role: "product_owner", date: today },
      ],
      nextReviewAt: today, // due now
      reason: "test",
    });
    expect(put.status).toBe(200);
  });
  afterAll(async () => {
    await stack?.stop();
    hook?.close();
  });

  it("posts the work item to its webhook once, and reminds the team of the review once", async () => {
    const now = Date.now();
    const recs = Array.from({ length: 200 }, (_, i) => ({
      ts: now - 120_000 + i * 100,
      service: "finder",
      method: "GET",
      route: "/q",
      region: "prod-eu",
      status: i % 10 === 0 ? 503 : 200,
      durationMs: 9,
    }));
    const r = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}` },
      payload: ndjson(recs),
    });
    expect(JSON.parse(r.body).accepted).toBe(200);
    const enactment = await waitFor("the exhausted enactment", async () => {
      const e = (await call(stack, "GET", "/api/v1/teams/search/policy/enactments?open=true"))
        .body as unknown as { consequences: { type: string; status: string }[] | null }[];
      return e.length === 1 && e[0]!.consequences ? e[0]! : null;
    });
    expect(enactment.consequences).toEqual([
      { type: "notify", status: "sent" },
      { type: "work_item", status: "sent", detail: "HTTP 201" },
    ]);
    const notice = stack.slack.topLevel("#search-slo").find((m) => m.text.startsWith("Error budget policy"));
    expect(notice!.text).toContain("SLO 'Finder &lt;!channel&gt; &amp; availability' (finder, prod-eu)");
    expect(received).toHaveLength(1);
    expect(received[0]!.body).toMatchObject({ team: "search", text: "Reliability sprint for finder" });
    const reminders = () =>
      stack.slack.topLevel("#search-slo").filter((m) => m.text.includes("due for review"));
    // One for the review date; and, when this outage's alert came out as P1, one for the first P1 outage. That
    // one comes with the first policy pass after the alert fired (the policy job runs on its own schedule, not
    // with the evaluation cycles), so it is waited for.
    const expected = async () => ((await stack.db.alert.count({ where: { priority: "P1" } })) > 0 ? 2 : 1);
    await waitFor("the review reminders", async () => reminders().length >= (await expected()), 60_000);
    // Later passes post neither again.
    const runs = await stack.db.evaluationRun.count();
    await waitFor(
      "three more cycles",
      async () => (await stack.db.evaluationRun.count()) >= runs + 3,
      30_000,
    );
    await new Promise((r) => setTimeout(r, 3000));
    expect(reminders().filter((m) => m.text.includes("review date"))).toHaveLength(1);
    expect(reminders()).toHaveLength(await expected());
    expect(received).toHaveLength(1);
    for (const m of stack.slack.topLevel("#search-slo")) expect(m.text).not.toContain("<!channel>");
  });
});
