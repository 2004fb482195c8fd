import { expect, shot, signIn, test, waitState } from "./helpers";
import { FORMS_SERVICE, storefront } from "./forms-fixture";

test("developer: availability, latency and ratio SLOs through the form; an edit updates the charts without a reload", async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  const s = await waitState();
  await storefront(request, s);
  await signIn(page, s);
  const field = (label: string) => page.getByLabel(label, { exact: true });
  const create = async (name: string, fill: () => Promise<void>) => {
    await page.goto(`${s.baseUrl}/slos/new`);
    await field("Service").selectOption(FORMS_SERVICE);
    await field("Name").fill(name);
    await field("Endpoint").fill("GET /shop");
    await fill();
    await page.getByRole("button", { name: "Create SLO" }).click();
    await expect(page.getByRole("heading", { name })).toBeVisible({ timeout: 20_000 });
  };

  // availability, with the context fields; an endpoint typo is caught at the field before the API sees it
  await create("Shop availability", async () => {
    await field("Endpoint").fill("GTE /shop");
    await page.getByRole("button", { name: "Create SLO" }).click();
    await expect(page.getByTestId("f-endpoint-error")).toContainText("Endpoint must be a method and a route");
    await field("Endpoint").fill("GET /shop");
    await expect(page.getByTestId("f-endpoint-error")).toHaveCount(0);
    await field("Description").fill("Shoppers see the catalogue");
    await field("Journey step").fill("browse");
    await field("Customer segment").fill("every shopper");
    await field("Runbook").fill("https://runbooks.example.com/storefront");
    await field("Objective (%)").fill("99");
  });
  await expect(page.getByRole("link", { name: /Runbook/ })).toHaveAttribute(
    "href",
    "https://runbooks.example.com/storefront",
  );

  // latency, with the slow ticket tier turned off
  await create("Shop latency", async () => {
    await field("SLI").selectOption("latency");
    await field("Threshold (ms)").fill("150");
    await field("Objective (%)").fill("90");
    await page.getByLabel(/slow ticket/).uncheck();
  });

  // ratio: a filter the API cannot read is marked at its field with the position; the preview stays
  await create("Shop ratio", async () => {
    await field("SLI").selectOption("ratio");
    await field("Objective (%)").fill("99");
    await expect(page.getByTestId("preview-sli")).toBeVisible({ timeout: 20_000 });
    await field("Good requests").fill("status < 500 and");
    await expect(page.getByTestId("f-good-error")).toContainText(/at position \d+/, { timeout: 10_000 });
    await expect(page.getByTestId("f-good-caret")).toBeVisible();
    await expect(page.getByTestId("preview-note")).toContainText("last valid settings");
    await expect(page.getByTestId("preview-sli")).toBeVisible();
    await page.getByText("Filter syntax").click();
    await shot(page, "forms-slo-editor-ratio-error");
    await field("Good requests").fill("status < 500");
    await expect(page.getByTestId("f-good-error")).toHaveCount(0);
    await expect(page.getByTestId("preview-note")).toHaveCount(0, { timeout: 10_000 });
    await shot(page, "forms-slo-editor-ratio");
  });

  // the ratio SLO's charts, then an edit: the charts show the new objective without a reload
  const sliChart = page.getByRole("figure", { name: "SLI versus objective" });
  await expect(sliChart.locator("figcaption")).toContainText("(99%)", { timeout: 120_000 });
  await page.evaluate(() => ((window as unknown as { noReload: boolean }).noReload = true));
  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByRole("heading", { name: /^Edit /, level: 1 })).toBeVisible();
  await expect(field("Good requests")).toHaveValue("status < 500");
  await field("Objective (%)").fill("97.5");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Reason is required: say why the SLO changes")).toBeVisible();
  await field("Reason for the change").fill("the shop tolerates retries");
  await expect(page.getByText("Reason is required: say why the SLO changes")).toHaveCount(0);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("heading", { name: "Shop ratio" })).toBeVisible();
  await expect(sliChart.locator("figcaption")).toContainText("(97.5%)", { timeout: 30_000 });
  expect(await page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).toBe(true);
  await shot(page, "forms-slo-after-edit");
});
