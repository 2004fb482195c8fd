import type { SlaResponse, SlaStatusResponse } from "../../packages/contracts/src/index.ts";
import { apiGet, expect as baseExpect, shot, signIn, test, waitState } from "./helpers";
import { BOOK_SLA_NAME } from "./seed-sla";

const expect = baseExpect.configure({ timeout: 15_000 });

test("the SLA view: depletion per period, adherence with the endpoint SLAs beneath, the breach attributed", async ({
  page,
  request,
}) => {
  const s = await waitState();
  const h = s.history;
  const slas = await apiGet<SlaResponse[]>(request, h, "/api/v1/slas");
  const book = slas.find((x) => x.name === BOOK_SLA_NAME)!;
  const status = await apiGet<SlaStatusResponse>(request, h, `/api/v1/slas/${book.id}/status?periods=4`);
  expect(status.contractual.periods.map((p) => p.adherence)).toEqual([
    "fulfilled",
    "fulfilled",
    "broken",
    "fulfilled",
  ]);

  await signIn(page, h);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "SLAs" }).click();
  await expect(page.getByRole("heading", { name: "SLAs", exact: true })).toBeVisible();
  await expect(page.getByTestId("sla-row")).toHaveCount(2);
  await shot(page, "slas");
  await page.getByRole("link", { name: BOOK_SLA_NAME }).click();
  await expect(page.getByRole("heading", { name: BOOK_SLA_NAME })).toBeVisible();
  await expect(page.getByTestId("sla-chart").locator(".recharts-line")).toHaveCount(3);

  // Fig 11.10: period 1 (the oldest of the four) is listed last: contractual, then the two endpoint SLAs.
  const depletion = page.getByTestId("sla-depletion-row");
  await expect(depletion).toHaveCount(12);
  const p1 = (i: number) => depletion.nth(9 + i).locator("td");
  const cells = async (i: number) => [
    await p1(i).nth(6).innerText(),
    await p1(i).nth(7).innerText(),
    await p1(i).nth(8).innerText(),
  ];
  expect(await cells(0)).toEqual(["30%", "0.3", "0.4"]);
  expect(await cells(1)).toEqual(["40%", "1.0", "1.2"]);
  expect(await cells(2)).toEqual(["25%", "0.7", "0.7"]);

  // Fig 11.11: contractual F F B, Service 1's endpoint F F B, Service 2's F F F; P3's breach names Service 1's endpoint.
  const adherence = page.getByTestId("sla-adherence-row");
  await expect(adherence).toHaveCount(3);
  const verdicts = async (i: number) =>
    (await adherence.nth(i).locator(".chip").allInnerTexts()).slice(0, 3).map((t) => t.trim()[0]);
  expect(await verdicts(0)).toEqual(["F", "F", "B"]);
  expect(await verdicts(1)).toEqual(["F", "F", "B"]);
  expect(await verdicts(2)).toEqual(["F", "F", "F"]);
  await expect(page.getByTestId("sla-attribution")).toHaveCount(1);
  await expect(page.getByTestId("sla-attribution")).toHaveText(
    "broken with service-1 GET /tenant/{id}/studies/{id}/attachments",
  );
  await expect(adherence.nth(1)).toHaveClass(/sla-child-row/);
  await shot(page, "sla");

  // The SLO page draws the SLA objective (97%, looser than the SLO's 97.69%) beside the SLO's on the SLI chart.
  await page.goto(`${h.baseUrl}/slos/${h.bookSloId}`);
  await expect(page.locator(".sla-objective-line")).toHaveCount(1);
  await expect(page.getByText("SLA 97%")).toBeVisible();
  await shot(page, "slo-with-sla");
});

test("an SLA written in the form: refused fields named, created, edited and deleted without JSON", async ({
  page,
  request,
}) => {
  const s = await waitState();
  const h = s.history;
  await signIn(page, h);
  await page.goto(`${h.baseUrl}/slas`);
  await page.getByRole("link", { name: "New SLA" }).click();
  await expect(page.getByRole("heading", { name: "New SLA" })).toBeVisible();

  // Nothing filled in: each missing field says so, nothing is sent.
  await page.getByRole("button", { name: "Create SLA" }).click();
  await expect(page.getByRole("alert")).toHaveText("Fix the 3 fields marked above.");
  await expect(page.getByTestId("sla-name-error")).toHaveText("Name is required");
  await expect(page.getByTestId("sla-services-error")).toContainText("Services");

  const name = `Form SLA ${Date.now()}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Service 1", { exact: true }).check();
  await page.getByLabel("Service 2", { exact: true }).check();
  await page.getByLabel("Objective (%)", { exact: true }).fill("99.5");
  await page.getByLabel("Period", { exact: true }).selectOption("quarter");
  await page.getByLabel("Time zone", { exact: true }).fill("Europe/Berlin");
  await page.getByRole("button", { name: "Add a tier" }).click();
  await page.getByLabel("Tier name", { exact: true }).fill("gold");
  await page.getByLabel("Tier objective (%)").fill("99.9");
  await page.getByRole("button", { name: "Add an endpoint SLA" }).click();
  const child = page.getByRole("group", { name: "Endpoint SLA 1" });
  await child.getByLabel("Service", { exact: true }).selectOption("service-1");
  await child.getByLabel("Endpoint", { exact: true }).fill("studies");
  await child.getByLabel("Endpoint objective (%)").fill("99");
  await child.getByLabel("SLI", { exact: true }).selectOption("latency");
  await child.getByLabel("Latency threshold (ms)").fill("5000");
  // The API's own check (an endpoint is 'METHOD /route') comes back at the row's field.
  await page.getByRole("button", { name: "Create SLA" }).click();
  await expect(page.getByTestId("sla-child-0-endpoint-error")).toContainText(
    "'studies' is not 'METHOD /route'",
  );
  await child.getByLabel("Endpoint", { exact: true }).fill("GET /tenant/{id}/studies/{id}/attachments");
  await shot(page, "sla-new");
  await page.getByRole("button", { name: "Create SLA" }).click();

  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByText("availability · 99.5% · calendar quarters (Europe/Berlin)")).toBeVisible();
  const id = page.url().split("/slas/")[1]!;
  const created = await apiGet<SlaResponse>(request, h, `/api/v1/slas/${id}`);
  expect(created.services.map((x) => x.slug).sort()).toEqual(["service-1", "service-2"]);
  expect(created.tiers).toEqual([{ name: "gold", objectivePercent: 99.9 }]);
  expect(created.children.map((c) => [c.service, c.endpoint, c.objectivePercent, c.sli])).toEqual([
    ["service-1", "GET /tenant/{id}/studies/{id}/attachments", 99, { type: "latency", thresholdMs: 5000 }],
  ]);

  // Edited: the page shows the new objective, without the tier that was removed.
  await page.getByRole("link", { name: "Edit SLA" }).click();
  await expect(page.getByLabel("Objective (%)", { exact: true })).toHaveValue("99.5");
  await page.getByLabel("Objective (%)", { exact: true }).fill("99");
  await page.getByRole("button", { name: "Remove tier 1" }).click();
  await page.getByRole("button", { name: "Save SLA" }).click();
  await expect(page.getByText("availability · 99% · calendar quarters (Europe/Berlin)")).toBeVisible();
  const edited = await apiGet<SlaResponse>(request, h, `/api/v1/slas/${id}`);
  expect([edited.objectivePercent, edited.tiers, edited.children.length]).toEqual([99, [], 1]);

  // Deleted: gone from the list (the other SLAs of this stack are untouched).
  await page.getByRole("link", { name: "Edit SLA" }).click();
  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: "Delete SLA" }).click();
  await expect(page.getByRole("heading", { name: "SLAs", exact: true })).toBeVisible();
  const left = await apiGet<SlaResponse[]>(request, h, "/api/v1/slas");
  expect(left.map((x) => x.id)).not.toContain(id);
  expect(left.map((x) => x.name)).toContain(BOOK_SLA_NAME);
});
