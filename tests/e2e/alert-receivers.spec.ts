import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { apiGet, expect, shot, signIn, test, waitState } from "./helpers";

/** A local receiver: answers every request with `status`. */
async function receiverServer(status: number): Promise<{ url: string; server: Server; hits: number[] }> {
  const hits: number[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      hits.push(Date.now());
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(status < 300 ? { status: "success" } : { message: "bad key" }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits };
}

test("the alert detail lists what each receiver was sent, and a refusal on the timeline", async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const s = await waitState();
  const auth = { authorization: `Bearer ${s.token}` };
  const hook = await receiverServer(200);
  const og = await receiverServer(422);
  try {
    const post = async (url: string, data: object) => {
      const r = await request.post(`${s.baseUrl}${url}`, { headers: auth, data });
      expect(r.status(), await r.text()).toBe(201);
      return (await r.json()) as { id: string };
    };
    await post("/api/v1/teams", { slug: "relay", name: "Relay" });
    await post("/api/v1/services", { slug: "relay-api", name: "Relay API", team: "relay" });
    // the alert events only: the SLO created below would otherwise reach it too (slo.changed)
    await post("/api/v1/receivers", {
      team: "relay",
      name: "ops webhook",
      kind: "webhook",
      url: hook.url,
      events: ["alert.firing", "alert.acknowledged", "alert.resolved", "alert.escalated"],
    });
    await post("/api/v1/receivers", {
      team: "relay",
      name: "opsgenie",
      kind: "opsgenie",
      url: og.url,
      secret: "og-e2e-key",
    });
    const slo = await post("/api/v1/slos", {
      service: "relay-api",
      name: "Relay availability",
      endpoint: "GET /relay",
      sli: { type: "availability" },
      objectivePercent: 99.9,
      window: { type: "rolling", days: 28 },
    });
    const now = Date.now();
    const lines: string[] = [];
    for (let m = 60; m > 0; m--)
      for (let i = 0; i < 40; i++)
        lines.push(
          JSON.stringify({
            ts: now - m * 60_000 + i * 1400,
            service: "relay-api",
            method: "GET",
            route: "/relay",
            region: "prod-relay",
            status: m <= 10 && i % 10 === 0 ? 503 : 200,
            durationMs: 40,
          }),
        );
    const ingest = await request.post(`${s.baseUrl}/api/v1/ingest/requests`, {
      headers: { ...auth, "content-type": "application/x-ndjson" },
      data: lines.join("\n"),
    });
    expect(ingest.status()).toBe(200);
    let alertId = "";
    await expect
      .poll(
        async () => {
          const firing = await apiGet<{ id: string }[]>(
            request,
            s,
            `/api/v1/alerts?sloId=${slo.id}&state=firing`,
          );
          alertId = firing[0]?.id ?? "";
          if (!alertId) return "no alert";
          const a = await apiGet<{ deliveries?: { receiver: string; status: string }[] }>(
            request,
            s,
            `/api/v1/alerts/${alertId}`,
          );
          return (a.deliveries ?? [])
            .map((d) => `${d.receiver}:${d.status}`)
            .sort()
            .join(",");
        },
        { timeout: 120_000 },
      )
      .toBe("ops webhook:sent,opsgenie:failed");

    await signIn(page, s);
    await page.goto(`${s.baseUrl}/slos/${slo.id}?region=prod-relay`);
    const timeline = page.getByRole("region", { name: "Alert timeline" });
    const table = timeline.getByRole("table", { name: "Receiver deliveries" });
    await expect(table.locator("tr[data-status=sent]")).toContainText("ops webhook", { timeout: 30_000 });
    await expect(table.locator("tr[data-status=sent]")).toContainText("trigger");
    await expect(table.locator("tr[data-status=failed]")).toContainText("HTTP 422");
    await expect(timeline.locator("li[data-kind=receiver_failed]")).toContainText(
      "receiver opsgenie failed to take alert.firing: HTTP 422",
    );
    await timeline.scrollIntoViewIfNeeded();
    await shot(page, "alert-receivers");
    expect(hook.hits).toHaveLength(1);
    expect(og.hits).toHaveLength(1);
  } finally {
    hook.server.close();
    og.server.close();
  }
});
