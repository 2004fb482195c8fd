import { FORMS_TEAM, storefront } from "./forms-fixture";
import { apiGet, expect, shot, signIn, test, waitState } from "./helpers";

test("settings: receivers per team and severity, a webhook's secret shown once, a key never shown", async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const s = await waitState();
  await storefront(request, s);
  await signIn(page, s);
  page.on("dialog", (d) => void d.accept());

  await page.goto(`${s.baseUrl}/settings/receivers`);
  await expect(page.getByRole("heading", { name: "Receivers", level: 2 })).toBeVisible();
  const form = page.getByRole("form", { name: "New receiver" });

  // An Alertmanager without its URL is refused at the field.
  await form.getByLabel("Team").selectOption(FORMS_TEAM);
  await form.getByLabel("Name", { exact: true }).fill("storefront alertmanager");
  await form.getByLabel("Kind").selectOption("alertmanager");
  await form.getByRole("button", { name: "Add receiver" }).click();
  await expect(form.getByText(/needs its url/)).toBeVisible();
  await form.getByLabel("URL").fill("http://alertmanager.storefront.test:9093");
  await form.getByRole("button", { name: "Add receiver" }).click();
  const rows = page.getByTestId("receiver-row");
  await expect(rows.filter({ hasText: "storefront alertmanager" })).toBeVisible();

  // PagerDuty for pages only: the routing key is write-only, its last 4 characters shown.
  await form.getByLabel("Name", { exact: true }).fill("storefront pages");
  await form.getByLabel("Kind").selectOption("pagerduty");
  await form.getByLabel("Severities").selectOption("page");
  await form.getByLabel("Routing key").fill("R0UTING-KEY-9f3a");
  await form.getByRole("button", { name: "Add receiver" }).click();
  const pd = rows.filter({ hasText: "storefront pages" });
  await expect(pd).toContainText("…9f3a");
  await expect(pd).toContainText("page");
  await expect(page.getByText("R0UTING-KEY-9f3a")).toHaveCount(0);

  // A webhook for tickets: its signing secret is shown once.
  await form.getByLabel("Name", { exact: true }).fill("storefront tickets");
  await form.getByLabel("Kind").selectOption("webhook");
  await form.getByLabel("Severities").selectOption("ticket");
  await form.getByLabel("URL").fill("https://hooks.storefront.test/burnrate");
  await form.getByRole("button", { name: "Add receiver" }).click();
  const secret = page.getByTestId("receiver-secret");
  await expect(secret).toHaveText(/^whsec_/);
  const value = await secret.textContent();
  await expect(rows.filter({ hasText: "storefront tickets" })).toBeVisible();
  await shot(page, "settings-receivers");
  const listed = await apiGet<{ name: string; secretHint: string | null }[]>(request, s, "/api/v1/receivers");
  expect(JSON.stringify(listed)).not.toContain(value!);
  await page.getByRole("button", { name: "Done" }).click();
  await expect(secret).toHaveCount(0);
  await page.reload();
  await expect(rows.filter({ hasText: "storefront tickets" })).toBeVisible();
  await expect(page.getByText(value!)).toHaveCount(0);

  // Delete one.
  await page.getByRole("button", { name: "Delete storefront alertmanager" }).click();
  await expect(rows.filter({ hasText: "storefront alertmanager" })).toHaveCount(0);
  // other specs may have added receivers for their own teams: count this team's
  await expect(rows.filter({ hasText: "storefront" })).toHaveCount(2);
});
