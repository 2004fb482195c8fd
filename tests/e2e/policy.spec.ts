import { apiGet, expect, shot, signIn, test, waitState } from "./helpers";

test("policy page: in force, conditions, an automatic enactment, and the release gate it drives", async ({
  page,
  request,
}) => {
  const s = await waitState();
  await signIn(page, s);
  await page.goto(`${s.baseUrl}/teams/payments`);
  await page.getByRole("link", { name: "Error budget policy" }).click();
  await expect(page).toHaveURL(/\/teams\/payments\/policy$/);
  await expect(page.getByTestId("in-force")).toHaveText("in force");
  await expect(page.getByTestId("condition-row")).toHaveCount(2);
  await expect(page.getByTestId("condition-row").first()).toContainText(
    "≥ 70% of the period's budget is consumed",
  );
  await expect(page.getByTestId("condition-row").first()).toContainText("release freeze in prod-eu");
  await expect(page.getByTestId("signature")).toHaveCount(3);
  // The burning cart SLO opens the consumed-70 enactment in prod-eu (the worker evaluates every second).
  const row = page.getByTestId("enactment-row").filter({ hasText: "consumed-70" }).first();
  await expect(row).toContainText("Cart availability", { timeout: 30_000 });
  await expect(row).toContainText("prod-eu");
  await expect(row).toContainText("open");
  const enactments = await apiGet<{ conditionId: string; closedAt: string | null }[]>(
    request,
    s,
    "/api/v1/teams/payments/policy/enactments?open=true",
  );
  expect(enactments.some((e) => e.conditionId === "consumed-70")).toBe(true);

  await page.getByLabel("Gate service").fill("checkout");
  await page.getByLabel("Gate region").fill("prod-eu");
  const gate = await apiGet<{ allowed: boolean; reasons: string[] }>(
    request,
    s,
    "/api/v1/release-gate?service=checkout&region=prod-eu",
  );
  expect(gate.allowed).toBe(false);
  await expect(page.getByTestId("gate-answer")).toContainText("Release freeze");
  await expect(page.getByTestId("gate-answer")).toContainText(gate.reasons[0]!);
  await shot(page, "policy");

  // A manual condition, enacted from the page with a reason.
  await page.getByLabel("Manual condition", { exact: true }).selectOption("postmortem");
  await page
    .locator("form[aria-label='Enact a manual condition'] input[name='reason']")
    .fill("cart outage postmortem");
  await page.getByRole("button", { name: "Enact" }).click();
  await expect(page.getByTestId("enactment-row").filter({ hasText: "postmortem" })).toContainText(
    "cart outage postmortem",
  );

  // The service page shows the same gate, region by region.
  await page.goto(`${s.baseUrl}/services/checkout`);
  // the region field is a drop-down once the service's regions have loaded (a text field until then)
  await expect(page.getByRole("combobox", { name: "Gate region" })).toBeVisible();
  await page.getByLabel("Gate region").selectOption("prod-eu");
  await expect(page.getByTestId("gate-answer")).toContainText("Release freeze");
  await page.getByLabel("Gate region").selectOption("prod-us");
  await expect(page.getByTestId("gate-answer")).toContainText("Deployments allowed");
  await shot(page, "service-gate");
});
