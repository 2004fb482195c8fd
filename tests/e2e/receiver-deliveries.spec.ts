import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { apiGet, expect, signIn, test, waitState } from "./helpers";

const TEAM = "hooks";
const SERVICE = "hooks-api";

test("settings: a receiver's delivery log lists each event with its attempts, last answer and delivery time", async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const s = await waitState();
  const headers = { authorization: `Bearer ${s.token}` };
  // A webhook receiver on loopback: the first path accepts, the second refuses (a 400, never retried).
  const got: { path: string; type: string }[] = [];
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += String(c)));
    req.on("end", () => {
      got.push({ path: req.url ?? "", type: (JSON.parse(raw) as { type: string }).type });
      res.writeHead(req.url === "/refuse" ? 400 : 202).end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    expect([201, 409]).toContain(
      (
        await request.post(`${s.baseUrl}/api/v1/teams`, { headers, data: { slug: TEAM, name: "Hooks" } })
      ).status(),
    );
    expect([201, 409]).toContain(
      (
        await request.post(`${s.baseUrl}/api/v1/services`, {
          headers,
          data: { slug: SERVICE, name: "Hooks API", team: TEAM },
        })
      ).status(),
    );
    const suffix = Date.now().toString(36);
    for (const [name, path] of [
      [`hooks ok ${suffix}`, "/accept"],
      [`hooks refused ${suffix}`, "/refuse"],
    ] as const) {
      const r = await request.post(`${s.baseUrl}/api/v1/receivers`, {
        headers,
        data: { team: TEAM, name, kind: "webhook", url: `${base}${path}`, events: ["slo.changed"] },
      });
      expect(r.status()).toBe(201);
    }
    // An SLO created through the API: a slo.changed event for both receivers, delivered by the worker.
    const slo = await request.post(`${s.baseUrl}/api/v1/slos`, {
      headers,
      data: {
        service: SERVICE,
        name: `Hooks availability ${suffix}`,
        sli: { type: "availability" },
        objectivePercent: 99,
      },
    });
    expect(slo.status()).toBe(201);
    await expect
      .poll(() => got.map((g) => g.path).sort(), { timeout: 30_000 })
      .toEqual(["/accept", "/refuse"]);
    const receivers = await apiGet<{ id: string; name: string }[]>(request, s, "/api/v1/receivers");
    const ok = receivers.find((r) => r.name === `hooks ok ${suffix}`)!;
    await expect
      .poll(
        async () =>
          (await apiGet<{ status: string }[]>(request, s, `/api/v1/receivers/${ok.id}/deliveries`))[0]
            ?.status,
      )
      .toBe("sent");

    await signIn(page, s);
    await page.goto(`${s.baseUrl}/settings/receivers`);
    const row = page.getByTestId("receiver-row").filter({ hasText: `hooks ok ${suffix}` });
    await expect(row).toContainText("slo.changed");
    await row.getByRole("button", { name: `Delivery log of hooks ok ${suffix}` }).click();
    const log = page.getByRole("region", { name: `Delivery log of hooks ok ${suffix}` });
    await expect(log).toBeVisible();
    const sent = log.getByTestId("delivery-row");
    await expect(sent).toHaveCount(1);
    await expect(sent).toHaveAttribute("data-status", "sent");
    await expect(sent).toContainText("slo.changed");
    await expect(sent).toContainText("delivered");
    await expect(sent).toContainText("HTTP 202");
    await expect(sent).not.toContainText("—");

    // The refused one: failed after one call, its answer shown, never delivered.
    await page
      .getByTestId("receiver-row")
      .filter({ hasText: `hooks refused ${suffix}` })
      .getByRole("button", { name: `Delivery log of hooks refused ${suffix}` })
      .click();
    const refusedLog = page.getByRole("region", { name: `Delivery log of hooks refused ${suffix}` });
    const failed = refusedLog.getByTestId("delivery-row");
    await expect(failed).toHaveAttribute("data-status", "failed");
    await expect(failed).toContainText("HTTP 400");
    await expect(failed).toContainText("failed");
    await expect(failed.getByRole("cell").nth(3)).toHaveText("1");
    await expect(failed).toContainText("—");
    await refusedLog.getByRole("button", { name: "Close the log" }).click();
    await expect(refusedLog).toHaveCount(0);
  } finally {
    server.close();
  }
});
