import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { apiGet, expect, pct, shot, shots, signIn, syncClock, test, waitState } from "./helpers";

interface OverviewRow {
  sloId: string;
  name: string;
  service: string;
  team: string;
  region: string | null;
  remainingFraction: number | null;
  state: string;
  firing: boolean;
}

test("overview: every SLO × region, numbers from the API, sortable and filterable, firing first", async ({
  page,
  request,
}) => {
  const s = await waitState();
  await signIn(page, s);
  const api = await apiGet<{ rows: OverviewRow[] }>(request, s, "/api/v1/reports/overview");
  const rows = page.getByTestId("slo-row");
  await expect(rows).toHaveCount(api.rows.length);
  expect(api.rows.length).toBeGreaterThanOrEqual(8);
  await expect(rows.first()).toHaveAttribute("data-state", "firing");
  // budgets as the API computed them, row by row
  const budgets = await page.getByTestId("budget").allTextContents();
  expect(budgets).toEqual(api.rows.map((r) => pct(r.remainingFraction)));
  // sort by name with the column header: the URL changes and so does the order (firing rows stay on top)
  await page.getByRole("button", { name: "SLO", exact: true }).click();
  await expect(page).toHaveURL(/sort=name&dir=asc|dir=asc&sort=name/);
  const firingCount = api.rows.filter((r) => r.firing).length;
  // the rows follow the URL once the table re-renders
  await expect
    .poll(async () => {
      const names = (await rows.locator("td:nth-child(2) a").allTextContents()).slice(firingCount);
      return (
        names.join("\n") ===
        [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())).join("\n")
      );
    })
    .toBe(true);
  await expect(page.getByRole("columnheader", { name: /SLO/ }).first()).toHaveAttribute(
    "aria-sort",
    "ascending",
  );
  // filters: team and region narrow the view and live in the URL
  await page.getByRole("combobox", { name: "Team", exact: true }).selectOption("discovery");
  await page.getByRole("combobox", { name: "Region", exact: true }).selectOption("prod-us");
  await expect(page).toHaveURL(/team=discovery/);
  await expect(page).toHaveURL(/region=prod-us/);
  const filtered = api.rows.filter((r) => r.team === "discovery" && r.region === "prod-us");
  await expect(rows).toHaveCount(filtered.length);
  for (const t of await rows.locator("td:nth-child(4)").allTextContents()) expect(t).toBe("discovery");
  await shot(page, "overview-filtered");
  await page.goto(`${s.baseUrl}/`);
  await expect(rows).toHaveCount(api.rows.length);
  await shot(page, "overview");
});

// The render time is a figure of `pnpm bench` (scripts/bench/overview.bench.ts, target ≤ 2 s); here it is only
// recorded, next to the check that every row renders and sorts.
test("overview renders 1,000 SLO × region", async ({ page, request }) => {
  const s = await waitState();
  await signIn(page, s.load);
  const api = await apiGet<{ rows: OverviewRow[] }>(request, s.load, "/api/v1/reports/overview");
  expect(api.rows.length).toBe(1000);
  const timeRender = async () => {
    await page.goto(`${s.load.baseUrl}/periods`); // somewhere else first
    const t0 = Date.now();
    await page.goto(`${s.load.baseUrl}/`);
    await expect(page.getByTestId("slo-row")).toHaveCount(1000, { timeout: 15_000 });
    return Date.now() - t0;
  };
  const first = await timeRender();
  const again = await timeRender();
  const sorted = Date.now();
  await page.getByRole("button", { name: "Burn 1 h" }).click();
  await expect(page).toHaveURL(/sort=burn1h/);
  await expect(page.getByTestId("slo-row").first()).toHaveAttribute("data-state", /low|exhausted|healthy/);
  const sortMs = Date.now() - sorted;
  mkdirSync(shots, { recursive: true });
  writeFileSync(
    path.join(shots, "overview-1000.json"),
    JSON.stringify({ rows: 1000, firstRenderMs: first, secondRenderMs: again, resortMs: sortMs }, null, 2),
  );
  console.log(`overview 1,000 rows: first ${first} ms, again ${again} ms, re-sort ${sortMs} ms`);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: path.join(shots, "overview-1000.png") });
});

test("team page: services × regions grid of budget cells linking to the SLO", async ({ page, request }) => {
  const s = await waitState();
  await signIn(page, s);
  await page.getByRole("combobox", { name: "Go to team" }).selectOption("payments");
  await expect(page).toHaveURL(/\/teams\/payments/);
  await expect(page.getByRole("heading", { name: "Team payments" })).toBeVisible();
  const api = await apiGet<{ rows: OverviewRow[] }>(request, s, "/api/v1/reports/overview?team=payments");
  const cells = page.getByTestId("budget-cell");
  await expect(cells).toHaveCount(api.rows.length);
  for (const r of api.rows) {
    const cell = page.getByRole("link", { name: new RegExp(`^${r.name} in ${r.region}:`) });
    await expect(cell).toContainText(pct(r.remainingFraction));
    await expect(cell).toHaveClass(new RegExp(`state-${r.state}`));
  }
  await expect(page.getByRole("columnheader", { name: "prod-eu" })).toBeVisible();
  await shot(page, "team");
  const firing = api.rows.find((r) => r.firing)!;
  await page.getByRole("link", { name: new RegExp(`^${firing.name} in ${firing.region}:`) }).click();
  await expect(page).toHaveURL(new RegExp(`/slos/${firing.sloId}\\?region=${firing.region}`));
  await expect(page.getByRole("heading", { name: firing.name })).toBeVisible();
});

test("region page: every service in one region, worst first", async ({ page, request }) => {
  const s = await waitState();
  await signIn(page, s);
  await page.getByRole("combobox", { name: "Go to region" }).selectOption("prod-eu");
  await expect(page).toHaveURL(/\/regions\/prod-eu/);
  const api = await apiGet<{ rows: OverviewRow[] }>(request, s, "/api/v1/reports/overview?region=prod-eu");
  const services = page.getByTestId("region-service");
  await expect(services).toHaveCount(new Set(api.rows.map((r) => r.service)).size);
  await expect(services.first()).toContainText(api.rows[0]!.service);
  await expect(page.getByTestId("budget-cell")).toHaveCount(api.rows.length);
  await shot(page, "region");
  await page.getByRole("combobox", { name: "Team", exact: true }).selectOption("discovery");
  await expect(page).toHaveURL(/\/regions\/prod-eu\?team=discovery/);
  await expect(services).toHaveCount(1);
  await expect(services.first()).toContainText("search");
});

test("service page: SLOs with budgets, endpoints, deployments and runbook", async ({ page, request }) => {
  const s = await waitState();
  await signIn(page, s);
  await page.goto(`${s.baseUrl}/services/checkout`);
  await expect(page.getByRole("heading", { name: "Checkout" })).toBeVisible();
  const slos = await apiGet<{ id: string; kind: string }[]>(
    request,
    s,
    "/api/v1/slos?service=checkout&includeDefaults=true",
  );
  await expect(page.getByTestId("service-slo")).toHaveCount(slos.length);
  await expect(page.getByRole("link", { name: "Runbook" })).toHaveAttribute(
    "href",
    "https://runbooks.example.com/checkout",
  );
  const endpoints = page.locator("section[aria-label='Endpoints'] li");
  await expect(endpoints.filter({ hasText: "GET /cart" })).toContainText("explicit SLO");
  await expect(page.locator("section[aria-label='Recent deployments']")).toContainText("v1.42.0");
  await expect(page.locator("section[aria-label='Recent deployments']")).toContainText("v1.41.3");
  const api = await apiGet<{ rows: OverviewRow[] }>(
    request,
    s,
    "/api/v1/reports/overview?service=checkout&includeDefaults=true",
  );
  await expect(page.getByTestId("budget-cell")).toHaveCount(api.rows.filter((r) => r.region).length);
  await shot(page, "service");
});

test("SLO page: last periods with boundaries, version history", async ({ page }) => {
  const s = await waitState();
  await signIn(page, s.history);
  await page.goto(`${s.history.baseUrl}/slos/${s.history.sloIds.login}?region=prod-eu`);
  await page.getByLabel("Range").selectOption("3p");
  await expect(page).toHaveURL(/range=3p/);
  const budget = page.getByRole("figure", { name: "Error budget remaining" });
  await expect(budget).toContainText("period");
  const d = await budget.locator("path.recharts-area-area").first().getAttribute("d");
  expect(d?.length ?? 0).toBeGreaterThan(50);
  // the period that ran out (an incident 40 days ago in prod-eu) takes the curve below 0
  await expect(budget).toContainText("-100%");
  await expect(page.getByTestId("version-row")).toHaveCount(1);
  await expect(page.getByTestId("version-row").first()).toContainText("v1");
  await shot(page, "slo-periods");
});

test("SLO editor: validation, live preview, guardrail, and the saved SLO shows what the preview showed", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const s = await waitState();
  await signIn(page, s);
  await page.getByRole("link", { name: "New SLO" }).click();
  // each page is loaded on first visit: until the editor is there, the overview (with its own Service filter) stays
  await expect(page.getByRole("heading", { name: "New SLO", level: 1 })).toBeVisible();
  await page.getByLabel("Service", { exact: true }).selectOption("search");
  // clear messages for bad input
  await page.getByLabel("Objective (%)").fill("100");
  await page.getByRole("button", { name: "Create SLO" }).click();
  await expect(page.getByText("Name is required")).toBeVisible();
  await expect(page.getByText(/Objective must be below 100%/)).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("Search availability (editor)");
  await page.getByLabel("Endpoint").fill("GET /search");
  // an objective no day of history reached (99% of searches within 100 ms; the median is 140 ms): a warning
  await page.getByLabel("SLI", { exact: true }).selectOption("latency");
  await page.getByLabel("Threshold (ms)").fill("100");
  await page.getByLabel("Objective (%)").fill("99");
  await expect(page.getByTestId("guardrail")).toContainText("stricter than every one of the last");
  await expect(page.getByTestId("preview-pages")).not.toContainText("0×");
  await shot(page, "slo-editor-guardrail");
  await page.getByLabel("SLI", { exact: true }).selectOption("availability");
  await page.getByLabel("Objective (%)").fill("99.5");
  await expect(page.getByTestId("guardrail")).toHaveCount(0);
  const sli = page.getByTestId("preview-sli").locator(".kpi-value");
  const budget = page.getByTestId("preview-budget").locator(".kpi-value");
  await expect(budget).toHaveText(/%$/);
  const fig = page.getByRole("figure", { name: "SLI versus objective" });
  expect((await fig.locator("path.recharts-curve").first().getAttribute("d"))?.length ?? 0).toBeGreaterThan(
    50,
  );
  await shot(page, "slo-editor");
  const previewSli = await sli.textContent();
  const previewBudget = await budget.textContent();
  await page.getByRole("button", { name: "Create SLO" }).click();
  // (the worker backfills the new SLO in the same process as this API: give the page time)
  await expect(page.getByRole("heading", { name: "Search availability (editor)" })).toBeVisible({
    timeout: 20_000,
  });
  // after the backfill, the SLO shows the same SLI and budget as the preview
  await expect(async () => {
    await page.reload();
    await expect(page.locator(".kpi", { hasText: "SLI this period" }).locator(".kpi-value")).toHaveText(
      previewSli!,
      {
        timeout: 2000,
      },
    );
    await expect(page.locator(".kpi", { hasText: "Budget left" }).locator(".kpi-value")).toHaveText(
      previewBudget!,
      {
        timeout: 2000,
      },
    );
  }).toPass({ timeout: 60_000 });
  // edit: a reason is required, and the change lands in the version history
  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByRole("heading", { name: /^Edit /, level: 1 })).toBeVisible();
  await page.getByLabel("Objective (%)").fill("99.7");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText(/Reason is required/)).toBeVisible();
  await page.getByLabel("Reason for the change").fill("tighten after the search cache rollout");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("version-row").first()).toContainText(
    "tighten after the search cache rollout",
  );
  await expect(page.getByTestId("version-row").first()).toContainText("objectivePercent: 99.5 → 99.7");
});

test("product-owner view: SLOs × last periods, broken and ran out early with the day", async ({
  page,
  request,
}) => {
  const s = await waitState();
  await signIn(page, s.history);
  await page.getByRole("link", { name: "Budgets by period" }).click();
  await expect(page.getByRole("heading", { name: "Budgets by period", level: 1 })).toBeVisible();
  await page.getByRole("combobox", { name: "Team", exact: true }).selectOption("identity");
  await expect(page).toHaveURL(/team=identity/);
  const api = await apiGet<{
    rows: {
      sloId: string;
      name: string;
      cells: {
        adherence: string | null;
        exhausted: boolean;
        exhaustedAt: number | null;
        exhaustedDay: number | null;
        dates: { timeZone: string; days: number };
      }[];
    }[];
  }>(request, s.history, "/api/v1/reports/periods?team=identity&periods=6");
  await expect(page.getByTestId("po-row")).toHaveCount(api.rows.length);
  const login = api.rows.find((r) => r.name === "Login availability")!;
  const row = page.getByTestId("po-row").filter({ hasText: "Login availability" }).first();
  const cells = row.getByTestId("period-cell");
  await expect(cells).toHaveCount(6);
  for (const [i, c] of login.cells.entries()) {
    await expect(cells.nth(i)).toContainText(c.adherence ?? "no data");
    if (c.exhausted) {
      // The day it ran out, of the period's days, both counted in the SLO's zone (never past the last day).
      expect(c.exhaustedDay).toBeLessThanOrEqual(c.dates.days);
      await expect(cells.nth(i).getByTestId("ran-out")).toContainText(
        `(day ${c.exhaustedDay} of ${c.dates.days})`,
      );
    }
  }
  await expect(row.getByTestId("time-zone")).toHaveText(login.cells[0]!.dates.timeZone);
  expect(login.cells.some((c) => c.exhausted)).toBe(true);
  // the summary: how many of the SLOs with data broke in the last complete period, counted from the API's cells
  const judged = api.rows.map((r) => r.cells[4]!).filter((c) => c.adherence !== null);
  const broke = judged.filter((c) => c.adherence === "broken").length;
  await expect(page.getByTestId("summary-last")).toContainText(`${broke} of ${judged.length} broke`);
  await expect(page.getByTestId("column-summary").nth(4)).toHaveText(`${broke} of ${judged.length} broke`);
  // each row's trend: a drawing with the budget left at every period's end, and the direction in words
  const trend = row.getByTestId("trend");
  await expect(trend.getByRole("img")).toHaveAttribute("aria-label", /^Budget left at each period's end/);
  await expect(trend).toHaveAttribute("data-direction", /^(improving|worsening|steady|unknown)$/);
  await shot(page, "po");
  await page.getByLabel("Periods").selectOption("3");
  await expect(page).toHaveURL(/periods=3/);
  await expect(row.getByTestId("period-cell")).toHaveCount(3);
});

test("manager indicators: the book's depletion example, explanations, filters and sorting", async ({
  page,
  request,
}) => {
  const s = await waitState();
  await signIn(page, s.history);
  await page.getByRole("link", { name: "Indicators" }).click();
  await expect(page.getByRole("heading", { name: "Reliability indicators", level: 1 })).toBeVisible();
  for (const title of [
    "SLOs by service",
    "SLO adherence",
    "Error budget depletion",
    "Premature budget exhaustion",
    "Least available endpoints",
    "Slowest endpoints",
  ]) {
    const section = page.getByRole("region", { name: title, exact: true }).first();
    await expect(section).toBeVisible();
    await expect(section.locator("p.why")).not.toBeEmpty();
  }
  await expect(page.getByText("never people").first()).toBeVisible();
  // the table of contents leads to each section, and stays in view beside them on a wide screen
  const toc = page.getByRole("navigation", { name: "On this page" });
  await expect(toc.getByRole("link")).toHaveCount(10);
  await expect(toc.getByRole("link", { name: "Customer support ticket trend" })).toHaveAttribute(
    "href",
    "#support-tickets",
  );
  await toc.getByRole("link", { name: "Slowest endpoints" }).click();
  await expect(page).toHaveURL(/#slowest$/);
  await expect(page.getByRole("heading", { name: "Slowest endpoints", level: 2 })).toBeInViewport();
  await expect(toc).toBeInViewport();
  await page.getByLabel("Time window").selectOption("previous");
  await page.getByRole("combobox", { name: "Service", exact: true }).selectOption("affil");
  await expect(page).toHaveURL(/window=previous/);
  await expect(page).toHaveURL(/service=affil/);
  const row = page.getByTestId("depletion-row");
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("avg-speed")).toHaveText("1.2");
  await expect(row.getByTestId("max-speed")).toHaveText("1.9");
  await expect(row).toContainText("-45%");
  await expect(
    page.getByRole("region", { name: "Premature budget exhaustion", exact: true }).first(),
  ).toContainText("GET /affil");
  await shot(page, "manager-book-example");
  await page.getByRole("combobox", { name: "Service", exact: true }).selectOption("");
  await page.getByLabel("Time window").selectOption("year");
  await page.getByRole("button", { name: "Budget at end of period" }).click();
  await expect(page).toHaveURL(/dsort=endRemaining/);
  const year = await apiGet<{ depletion: unknown[] }>(
    request,
    s.history,
    "/api/v1/reports/indicators?window=year",
  );
  await expect(page.getByTestId("updating")).toHaveCount(0);
  await expect(page.getByTestId("depletion-row")).toHaveCount(year.depletion.length);
  const ends = await page.getByTestId("depletion-row").locator("td:nth-child(6)").allTextContents();
  const nums = ends.map((t) => Number.parseFloat(t));
  expect(nums.length).toBeGreaterThan(5);
  expect(nums).toEqual([...nums].sort((a, b) => a - b));
  await shot(page, "manager");
  // the endpoint tables, on the live stack (it has request rollups): the numbers are the API's
  const live = await apiGet<{
    leastAvailable: { endpoint: string; region: string; availability: number }[];
    slowest: { endpoint: string; p95Ms: number | null }[];
  }>(request, s, "/api/v1/reports/indicators");
  // the live outage is among them (other specs may add a worse endpoint of their own)
  expect(live.leastAvailable).toContainEqual(
    expect.objectContaining({ endpoint: "GET /cart", region: "prod-eu" }),
  );
  await signIn(page, s);
  await page.goto(`${s.baseUrl}/indicators`);
  const least = page.getByRole("table", { name: "Least available endpoints" }).locator("tbody tr");
  await expect(least).toHaveCount(live.leastAvailable.length);
  await expect(least.first()).toContainText(live.leastAvailable[0]!.endpoint);
  await expect(least.first()).toContainText(pct(live.leastAvailable[0]!.availability, 3));
  const slow = page.getByRole("table", { name: "Slowest endpoints" }).locator("tbody tr");
  await expect(slow.first()).toContainText(live.slowest[0]!.endpoint);
  await expect(slow.first()).toContainText(`≤ ${live.slowest[0]!.p95Ms} ms`);
  await shot(page, "manager-endpoints");
});

test("deep link: a copied URL restores the same filters and view", async ({ page, browser }) => {
  const s = await waitState();
  await signIn(page, s.history);
  await page.goto(`${s.history.baseUrl}/indicators`);
  await page.getByRole("combobox", { name: "Team", exact: true }).selectOption("identity");
  await page.getByRole("combobox", { name: "Region", exact: true }).selectOption("prod-eu");
  await page.getByLabel("Time window").selectOption("year");
  await page.getByRole("button", { name: "Average depletion speed (%/h)" }).click();
  // Wait until the view shows the new filters (rows of other regions gone, no "updating" banner).
  await expect(page.getByTestId("updating")).toHaveCount(0);
  await expect(page.getByTestId("depletion-row").first()).toBeVisible();
  await expect(page.getByTestId("depletion-row").filter({ hasNotText: "prod-eu" })).toHaveCount(0);
  const url = page.url();
  const before = await page.getByTestId("depletion-row").allTextContents();
  // a colleague opens the link: signs in first, lands on the same view
  const ctx = await browser.newContext();
  await syncClock(ctx);
  const other = await ctx.newPage();
  await other.goto(url);
  await expect(other).toHaveURL(/\/login\?next=/);
  await other.getByLabel("Email").fill(s.history.admin.email);
  await other.getByLabel("Password").fill(s.history.admin.password);
  await other.getByRole("button", { name: "Sign in" }).click();
  await expect(other).toHaveURL(url);
  await expect(other.getByRole("combobox", { name: "Team", exact: true })).toHaveValue("identity");
  await expect(other.getByRole("combobox", { name: "Region", exact: true })).toHaveValue("prod-eu");
  await expect(other.getByLabel("Time window")).toHaveValue("year");
  await expect(other.getByTestId("updating")).toHaveCount(0);
  await expect(other.getByTestId("depletion-row").filter({ hasNotText: "prod-eu" })).toHaveCount(0);
  await expect(other.getByTestId("depletion-row")).toHaveCount(before.length);
  expect(await other.getByTestId("depletion-row").allTextContents()).toEqual(before);
  await ctx.close();
});

test("alerts page: firing alerts with ack and snooze, and silences", async ({ page }) => {
  const s = await waitState();
  await signIn(page, s);
  await page.getByRole("link", { name: "Alerts", exact: true }).click();
  const row = page.getByTestId("alert-row").filter({ hasText: "Cart availability" }).first();
  await expect(row).toContainText("firing");
  await expect(row).toContainText("prod-eu");
  await expect(page.locator("section[aria-label='Silences']")).toContainText(
    "search index migration tonight",
  );
  await shot(page, "alerts");
  await row.getByRole("button", { name: /Snooze/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "Snoozed Cart availability" })).toBeVisible();
  await row.getByRole("button", { name: /Acknowledge/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "Acknowledged Cart availability" })).toBeVisible();
  await expect(row).toContainText("acknowledged");
});

test("settings: teams, members, tokens (secret shown once), Slack status", async ({ page }) => {
  const s = await waitState();
  await signIn(page, s);
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { name: /^Settings/, level: 1 })).toBeVisible();
  const teams = page.getByRole("table", { name: "Teams" });
  await expect(teams).toContainText("payments");
  await expect(teams).toContainText("#team-payments-slo-breaches");
  await page.getByRole("button", { name: "Manage discovery" }).click();
  await expect(page).toHaveURL(/settings\?team=discovery/);
  await page.getByRole("link", { name: "API tokens" }).click();
  const newToken = page.getByRole("form", { name: "New token" });
  await newToken.getByLabel("Name", { exact: true }).fill("ci-deploys");
  await newToken.getByLabel("Scope").selectOption("write");
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = await page.getByTestId("token-secret").textContent();
  expect(secret!.length).toBeGreaterThan(20);
  await expect(page.getByTestId("token-row").filter({ hasText: "ci-deploys" })).toBeVisible();
  await shot(page, "settings");
  await page.reload();
  await expect(page.getByTestId("token-row").filter({ hasText: "ci-deploys" })).toBeVisible();
  await expect(page.getByTestId("token-secret")).toHaveCount(0);
  expect(await page.content()).not.toContain(secret!);
  await page.goto(`${s.baseUrl}/settings/slack?team=discovery`);
  await expect(page.getByTestId("slack-configured")).toHaveText("configured");
  await page.getByRole("button", { name: /Send a test message/ }).click();
  await expect(page.getByText("Test message posted to #team-discovery-slo-breaches.")).toBeVisible();
  // Incident priorities: an admin writes the criteria; they are saved org-wide.
  await page.getByLabel("P1 criteria").fill("Checkout or payments down for many customers");
  // the reload waits for the save's answer (a reload cancels a request still in flight)
  const saved = page.waitForResponse(
    (r) => r.url().endsWith("/api/v1/settings/priorities") && r.request().method() === "PUT",
  );
  await page.getByRole("button", { name: /Save priorities/ }).click();
  expect((await saved).status()).toBe(200);
  await page.reload();
  await expect(page.getByLabel("P1 criteria")).toHaveValue("Checkout or payments down for many customers");
});
