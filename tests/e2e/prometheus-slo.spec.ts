import { expect, shot, signIn, test, waitState } from "./helpers";
import { FORMS_SERVICE, storefront } from "./forms-fixture";

test("a Prometheus-sourced SLO: the form says where its queries are set, saving keeps them, and the SLO page shows failed pulls", async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  const s = await waitState();
  await storefront(request, s);
  const sli = {
    type: "prometheus",
    url: "http://prometheus.internal:9090",
    bad: 'http_requests_total{job="storefront",code=~"5.."}',
    total: 'http_requests_total{job="storefront"}',
  };
  const created = await request.post(`${s.baseUrl}/api/v1/slos`, {
    headers: { authorization: `Bearer ${s.token}` },
    data: { service: FORMS_SERVICE, name: "Storefront (Prometheus)", sli, objectivePercent: 99.5 },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  await signIn(page, s);
  await page.goto(`${s.baseUrl}/slos/${id}/edit`);
  await expect(page.getByLabel("SLI", { exact: true })).toHaveValue("prometheus");
  await expect(page.locator("#f-prom-hint")).toContainText("Counted by Prometheus");
  await shot(page, "forms-slo-editor-prometheus");
  await page.getByLabel("Objective (%)", { exact: true }).fill("99.9");
  const reason = page.getByLabel(/Reason/);
  if (await reason.count()) await reason.first().fill("tighter objective");
  await page.getByRole("button", { name: /Save/ }).click();
  await expect
    .poll(
      async () => {
        const r = await request.get(`${s.baseUrl}/api/v1/slos/${id}`, {
          headers: { authorization: `Bearer ${s.token}` },
        });
        return (await r.json()) as { objectivePercent: number; sli: unknown };
      },
      { timeout: 20_000 },
    )
    .toEqual(expect.objectContaining({ objectivePercent: 99.9, sli }));

  // The SLO page says where the numbers come from, and shows the failed pulls with their error: this
  // Prometheus does not exist, so every pull fails (and the SLO shows no made-up 100%).
  await page.goto(`${s.baseUrl}/slos/${id}`);
  const banner = page.getByTestId("slo-source");
  await expect(banner).toContainText("Counted by Prometheus");
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("slo-source")).toContainText(/pull(s in a row)? failed/, { timeout: 2000 });
  }).toPass({ timeout: 90_000 });
  await expect(banner).toHaveAttribute("role", "alert");
  await expect(banner).toContainText("last answer never");
  await expect(banner).toContainText(/Prometheus unreachable|did not answer/);
  await shot(page, "slo-prometheus-source-failing");
});
