import path from "node:path";
import type { Page } from "@playwright/test";
import { CHART_COLORS } from "../../apps/web/src/features/slo/chart-colors";
import { apiGet, expect as baseExpect, shot, shots, signIn, test, waitState } from "./helpers";

/** The stack's worker evaluates every second on a shared machine: pages can take seconds to fill in. */
const expect = baseExpect.configure({ timeout: 15_000 });

test("sign-in page", async ({ page }) => {
  await waitState();
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("Email").fill("nobody@example.com");
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText(/wrong email or password/);
  await page.screenshot({ path: path.join(shots, "login.png") });
});

test("overview lists the SLOs with their budgets, firing first", async ({ page }) => {
  await signIn(page);
  await page.getByRole("combobox", { name: "Team", exact: true }).selectOption("payments");
  await expect(page).toHaveURL(/team=payments/);
  // two SLOs × two regions
  const rows = page.getByTestId("slo-row");
  await expect(rows).toHaveCount(4);
  await expect(rows.first()).toContainText("Cart availability");
  await expect(rows.first()).toContainText("firing");
  await expect(rows.first()).not.toContainText("…");
  await page.getByLabel("Sort by").selectOption("name");
  await expect(page).toHaveURL(/sort=name/);
  await page.screenshot({ path: path.join(shots, "overview.png"), fullPage: true });
});

test("the SLO page draws the budget, SLI and burn-rate charts, and Slack got one page", async ({
  page,
  request,
}) => {
  const s = await waitState();
  await signIn(page);
  await page.getByRole("link", { name: "Cart availability" }).first().click();
  await expect(page.getByRole("heading", { name: "Cart availability" })).toBeVisible();
  await expect(page.getByText("99.9% of GET /cart requests succeed over 28 days").first()).toBeVisible();
  // The overview lists SLO × region; the firing row (prod-eu) comes first and links to that region.
  await expect(page).toHaveURL(/region=prod-eu/);
  const api = await request.get(`/api/v1/slos/${s.sloId}/status?region=prod-eu`, {
    headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ") },
  });
  const status = (await api.json()) as {
    errorBudget: { remainingFraction: number; bad: number; unit: string };
  };
  await expect(page.locator(".kpi", { hasText: "Budget left" })).toContainText(
    `${(status.errorBudget.remainingFraction * 100).toFixed(1)}%`,
  );
  // The budget's counts say their unit (an occurrences SLO counts requests).
  expect(status.errorBudget.unit).toBe("requests");
  await expect(page.locator(".kpi", { hasText: "Budget left" })).toContainText(
    `${status.errorBudget.bad.toLocaleString("en-US")} bad requests of`,
  );
  // The live stack has a few hours of data in a 28-day window: the page says how much.
  await expect(page.locator(".kpi", { hasText: "SLI this period" })).toContainText("days of data so far");
  await expect(page.getByRole("figure", { name: "fast-page burn rate" })).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: path.join(shots, "slo-page.png"), fullPage: true });
  for (const name of ["Error budget remaining", "SLI versus objective", "fast-page burn rate"]) {
    const fig = page.getByRole("figure", { name });
    await expect(fig).toBeVisible();
    // A drawn series is an SVG path with a real d attribute (not an empty chart).
    const d = await fig.locator("path.recharts-curve, path.recharts-area-area").first().getAttribute("d");
    expect(d?.length ?? 0).toBeGreaterThan(50);
  }
  await expect(page.getByRole("figure", { name: "Error budget remaining" })).toContainText("v1.42.0");
  await expect(page.locator("section[aria-label='Alert history']")).toContainText("page");
  // The links an on-call engineer needs, and the tiers now (Pyrra's table): fast-page fires in prod-eu.
  const links = page.getByRole("navigation", { name: "Related" });
  await expect(links.getByRole("link", { name: "Runbook" })).toHaveAttribute(
    "href",
    "https://runbooks.example.com/checkout",
  );
  await expect(links.getByRole("link", { name: "Service checkout" })).toHaveAttribute(
    "href",
    "/services/checkout",
  );
  await expect(links.getByRole("link", { name: "Team payments" })).toHaveAttribute("href", "/teams/payments");
  await expect(links.getByRole("link", { name: /Dashboard/ })).toBeVisible();
  await expect(page.locator("[data-testid=tier-row]")).toHaveCount(4);
  // the slow ticket (3 d / 6 h) fires for six hours after the seeded burst, whenever this runs
  await expect(page.locator("[data-testid=tier-row][data-tier=slow-ticket]")).toContainText("▲ firing");
  await expect(page.getByRole("region", { name: "Last deployments" })).toContainText("v1.42.0");

  await page.getByLabel("Region", { exact: true }).selectOption("prod-us");
  await expect(page).toHaveURL(/region=prod-us/);
  await expect(page.locator(".kpi", { hasText: "Tiers firing" })).toContainText("0");
  // prod-us is healthy: every tier says so in words
  await expect(page.locator("[data-testid=tier-row]", { hasText: "✓ not firing" })).toHaveCount(4);

  const fake = (await (await request.get(s.slackUrl.replace(/api\/$/, "_fake/messages"))).json()) as {
    messages: {
      channel: string;
      threadTs: string | null;
      metadata?: { event_payload?: { alert?: string } };
    }[];
  };
  // One top-level alert message (the channel also gets other notices, such as on-call hand-offs).
  const alertPosts = fake.messages.filter(
    (m) => m.channel === s.channel && m.threadTs === null && m.metadata?.event_payload?.alert !== undefined,
  );
  expect(alertPosts).toHaveLength(1);
});

/** The live stack's SLO page of Cart availability in the region where it fires. */
async function openCartPage(page: Page, sloId: string) {
  await signIn(page);
  await page.goto(`/slos/${sloId}?region=prod-eu`);
  await expect(page.getByRole("heading", { name: "Cart availability" })).toBeVisible();
  // the charts come last (the series reads the longest tier window); on a busy machine that takes seconds
  await expect(page.getByRole("figure", { name: "Error budget remaining" })).toBeVisible({ timeout: 30_000 });
}

test("chart: budget debt is drawn below the zero line in the danger colour", async ({ page }) => {
  const s = await waitState();
  await openCartPage(page, s.sloId);
  const fig = page.getByRole("figure", { name: "Error budget remaining" });
  await expect(fig).toContainText("below 0 is debt");
  const debt = fig.locator(".budget-debt path.recharts-area-area");
  await expect(debt).toHaveCount(1);
  expect((await debt.getAttribute("d"))?.length ?? 0).toBeGreaterThan(20);
  await expect(debt).toHaveAttribute("fill", CHART_COLORS.dangerFill);
  await expect(fig.locator(".budget-debt path.recharts-area-curve")).toHaveAttribute(
    "stroke",
    CHART_COLORS.danger,
  );
  // Geometry: the debt area lies under the zero line, what is left of the budget above it.
  const zero = await fig.locator(".zero-line line").boundingBox();
  const debtBox = await debt.boundingBox();
  const leftBox = await fig.locator(".budget-left path.recharts-area-area").boundingBox();
  expect(zero && debtBox && leftBox).toBeTruthy();
  expect(debtBox!.y).toBeGreaterThanOrEqual(zero!.y - 1);
  expect(debtBox!.height).toBeGreaterThan(10);
  expect(leftBox!.y + leftBox!.height).toBeLessThanOrEqual(zero!.y + 1);
});

test("chart: each tier's threshold is drawn against the burn of its own windows", async ({
  page,
  request,
}) => {
  const s = await waitState();
  await openCartPage(page, s.sloId);
  const series = await apiGet<{
    thresholds: { tier: string; factor: number; longWindow: string; shortWindow: string | null }[];
  }>(request, s, `/api/v1/slos/${s.sloId}/series?region=prod-eu`);
  expect(series.thresholds.length).toBe(4);
  const panels = page.locator("figure.burn-panel");
  await expect(panels).toHaveCount(series.thresholds.length);
  for (const t of series.thresholds) {
    const fig = page.getByRole("figure", { name: `${t.tier} burn rate` });
    await expect(fig).toHaveAttribute(
      "data-windows",
      [t.longWindow, t.shortWindow].filter(Boolean).join(","),
    );
    // one threshold, its own; the two lines are its long and short window, named in the legend
    await expect(fig.locator(".tier-threshold")).toHaveCount(1);
    const factor = `${Number(t.factor.toFixed(3))}×`;
    await expect(fig.locator("figcaption")).toContainText(
      t.shortWindow
        ? `fires when ${t.longWindow} and ${t.shortWindow} burn are above ${factor}`
        : `fires when ${t.longWindow} burn is above ${factor}`,
    );
    for (const other of series.thresholds.filter((o) => o.tier !== t.tier))
      await expect(fig).not.toContainText(`above ${Number(other.factor.toFixed(3))}×`);
    await expect(fig.locator(".recharts-legend-wrapper")).toContainText(`${t.longWindow} burn`);
    if (t.shortWindow)
      await expect(fig.locator(".recharts-legend-wrapper")).toContainText(`${t.shortWindow} burn`);
    expect(
      (await fig.locator(".burn-long path.recharts-curve").getAttribute("d"))?.length ?? 0,
    ).toBeGreaterThan(20);
  }
  // each panel says in words whether its tier fires now, as the status does
  const status = await apiGet<{ tiers: { name: string; firing: boolean }[] }>(
    request,
    s,
    `/api/v1/slos/${s.sloId}/status?region=prod-eu`,
  );
  for (const t of status.tiers)
    await expect(
      page.getByRole("figure", { name: `${t.name} burn rate` }).locator("figcaption .chip"),
    ).toHaveText(t.firing ? "▲ firing" : "not firing");
});

test("chart: a deployment appears on every chart of its service; game days and maintenance are distinct", async ({
  page,
  request,
}) => {
  const s = await waitState();
  const now = Date.now();
  const post = (body: object) =>
    request.post(`${s.baseUrl}/api/v1/deployments`, {
      headers: { authorization: `Bearer ${s.token}` },
      data: body,
    });
  expect(
    (
      await post({ service: "checkout", version: "failover", kind: "game_day", at: now - 75 * 60_000 })
    ).status(),
  ).toBe(201);
  expect(
    (
      await post({
        service: "checkout",
        version: "db-patch",
        kind: "maintenance",
        at: now - 110 * 60_000,
        endsAt: now - 95 * 60_000,
      })
    ).status(),
  ).toBe(201);
  const slos = await apiGet<{ id: string; name: string }[]>(request, s, "/api/v1/slos?service=checkout");
  expect(slos.map((x) => x.name).sort()).toEqual(["Cart availability", "Checkout latency"]);
  // The charts start at the first data: wait until the three hours of history are computed for both SLOs.
  for (const slo of slos)
    await expect
      .poll(
        async () =>
          (await apiGet<{ backfillPercent: number }>(request, s, `/api/v1/slos/${slo.id}`)).backfillPercent,
        { timeout: 120_000 },
      )
      .toBe(100);
  await signIn(page);
  for (const slo of slos) {
    // The deployments inside the page's default range (the series the page draws): every one on every chart.
    const series = await apiGet<{ deployments: { version: string; kind: string }[] }>(
      request,
      s,
      `/api/v1/slos/${slo.id}/series`,
    );
    const versions = series.deployments.filter((d) => d.kind === "deployment").map((d) => d.version);
    expect(versions).toContain("v1.42.0");
    await page.goto(`/slos/${slo.id}`);
    await expect(page.getByRole("heading", { name: slo.name })).toBeVisible();
    await expect(page.getByRole("figure", { name: "Error budget remaining" })).toBeVisible({
      timeout: 30_000,
    });
    // the large charts name the maintenance range; the small burn charts shade it only
    for (const name of ["Error budget remaining", "SLI versus objective"])
      await expect(page.getByRole("figure", { name })).toContainText("maintenance");
    const charts = page.locator("figure.chart");
    await expect(charts).toHaveCount(6); // budget, SLI, and a burn-rate chart per tier (4)
    for (let i = 0; i < 6; i++) {
      const chart = charts.nth(i);
      // a deployment line labelled with its version for each deployment in the range, a dashed game-day line,
      // a shaded maintenance range
      await expect(chart.locator(".marker-deployment")).toHaveCount(versions.length);
      await expect(chart.locator(".marker-game_day")).toHaveCount(1);
      await expect(chart.locator(".maintenance-range")).toHaveCount(1);
      for (const label of [...versions, "game day failover"]) await expect(chart).toContainText(label);
      await expect(chart.locator(".marker-game_day line")).toHaveAttribute("stroke-dasharray", "8 3");
    }
  }
  await shot(page, "slo-page-markers");
});

test("drag across a chart to zoom in; the range is kept in the URL", async ({ page, request }) => {
  const s = await waitState();
  const series = await apiGet<{ deployments: { at: number; kind: string }[] }>(
    request,
    s,
    `/api/v1/slos/${s.sloId}/series?region=prod-eu`,
  );
  const deployedAt = series.deployments.filter((d) => d.kind === "deployment").map((d) => d.at);
  expect(deployedAt.length).toBeGreaterThan(0);
  await openCartPage(page, s.sloId);
  const budget = page.getByRole("figure", { name: "Error budget remaining" });
  await expect(budget.locator(".marker-deployment")).toHaveCount(deployedAt.length);
  const box = (await budget.locator(".recharts-surface").boundingBox())!;
  const y = box.y + box.height / 2;
  // the middle of the range: after the first hour's deployment and before v1.42.0 (near the end). A press that
  // lands while the chart is still laying out its hover state starts no selection: press again, as a user would.
  await expect(async () => {
    // (leaving the chart drops any half-made selection; releasing outside it zooms nothing)
    await page.mouse.move(box.x + box.width / 2, box.y - 40);
    await page.mouse.up();
    await page.mouse.move(box.x + box.width * 0.3, y);
    await page.mouse.move(box.x + box.width * 0.35, y, { steps: 3 });
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
    await expect(budget.locator(".zoom-selection")).toHaveCount(1, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await page.mouse.move(box.x + box.width * 0.65, y, { steps: 5 });
  await page.mouse.up();
  await expect(page).toHaveURL(/from=\d+&to=\d+/);
  const url = new URL(page.url());
  const from = Number(url.searchParams.get("from"));
  const to = Number(url.searchParams.get("to"));
  expect(to - from).toBeGreaterThan(10 * 60_000);
  await expect(page.getByLabel("Range")).toHaveValue("zoom");
  // only the deployments inside the zoomed range are drawn, on every chart
  const inside = deployedAt.filter((at) => at >= from && at <= to).length;
  expect(inside).toBeLessThan(deployedAt.length);
  await expect(budget.locator(".marker-deployment")).toHaveCount(inside);
  await expect(page.locator("figure.chart .marker-deployment")).toHaveCount(inside * 6);
  await shot(page, "slo-page-zoomed");
  // a copied URL opens the same zoom; Reset zoom goes back to the range
  await page.goto(url.pathname + url.search);
  await expect(page.getByLabel("Range")).toHaveValue("zoom");
  await page.getByRole("button", { name: "Reset zoom" }).click();
  await expect(page).not.toHaveURL(/from=/);
  await expect(budget.locator(".marker-deployment")).toHaveCount(deployedAt.length);
});

test("on-call acknowledges and snoozes from the SLO page and sees the timeline update", async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const s = await waitState();
  // Its own SLO and burst, so the alert is firing here whatever other tests did to Cart availability's.
  const auth = { authorization: `Bearer ${s.token}` };
  const created = await request.post(`${s.baseUrl}/api/v1/slos`, {
    headers: auth,
    data: {
      service: "checkout",
      name: "Basket availability",
      endpoint: "GET /basket",
      sli: { type: "availability" },
      objectivePercent: 99.9,
      window: { type: "rolling", days: 28 },
      priority: "P2",
    },
  });
  expect(created.status()).toBe(201);
  const sloId = ((await created.json()) as { id: string }).id;
  const now = Date.now();
  const lines: string[] = [];
  for (let m = 60; m > 0; m--)
    for (let i = 0; i < 40; i++)
      lines.push(
        JSON.stringify({
          ts: now - m * 60_000 + i * 1400,
          service: "checkout",
          method: "GET",
          route: "/basket",
          region: "prod-eu",
          status: m <= 10 && i % 10 === 0 ? 503 : 200, // the last 10 minutes: 10% fail
          durationMs: 40,
        }),
      );
  const ingest = await request.post(`${s.baseUrl}/api/v1/ingest/requests`, {
    headers: { ...auth, "content-type": "application/x-ndjson" },
    data: lines.join("\n"),
  });
  expect(ingest.status()).toBe(200);
  await expect
    .poll(
      async () => (await apiGet<unknown[]>(request, s, `/api/v1/alerts?sloId=${sloId}&state=firing`)).length,
      {
        timeout: 120_000,
      },
    )
    .toBe(1);

  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  await page.goto(`/slos/${sloId}?region=prod-eu`);
  await expect(page.getByRole("heading", { name: "Basket availability" })).toBeVisible();
  const bar = page.getByRole("region", { name: "Alert", exact: true });
  await expect(bar).toContainText("▲ Firing: page · P2 · prod-eu");
  const ack = bar.getByRole("button", { name: "Acknowledge" });
  await expect(ack).toBeInViewport({ ratio: 1 });
  await expect(bar.getByRole("button", { name: "Snooze" })).toBeInViewport({ ratio: 1 });
  await page.screenshot({ path: path.join(shots, "slo-page-phone.png") });
  // nothing on the page is wider than the phone (wide tables scroll inside their own box)
  expect(await page.evaluate(() => document.querySelector("main")?.scrollWidth ?? 0)).toBeLessThanOrEqual(
    390,
  );
  await shot(page, "slo-page-phone-full");
  await page.setViewportSize({ width: 1440, height: 900 });
  await expect(ack).toBeInViewport({ ratio: 1 });
  await page.screenshot({ path: path.join(shots, "slo-page-desktop.png") });

  const timeline = page.getByRole("region", { name: "Alert timeline" });
  await expect(timeline).toContainText("fired as page");
  const before = await timeline.locator("li").count();
  await expect(timeline.locator("li[data-kind=acknowledged]")).toHaveCount(0);
  await ack.click();
  // no reload: the bar and the timeline refresh from the API after the action
  await expect(bar).toContainText("● Acknowledged");
  await expect(bar).toContainText(`acknowledged by ${s.admin.email}`);
  await expect(timeline.locator("li[data-kind=acknowledged]")).toContainText(
    `acknowledged by ${s.admin.email}`,
  );
  await expect(ack).toBeDisabled();
  expect(await timeline.locator("li").count()).toBeGreaterThan(before);
  await bar.getByLabel("Snooze for").selectOption("240");
  await bar.getByRole("button", { name: "Snooze" }).click();
  await expect(timeline.locator("li[data-kind=snoozed]")).toContainText(
    `snoozed for 4 h by ${s.admin.email}`,
  );
  await expect(bar).toContainText("snoozed until");
  await page.screenshot({ path: path.join(shots, "slo-page-acknowledged.png"), fullPage: true });
});
