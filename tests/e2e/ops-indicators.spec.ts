import type { APIRequestContext } from "@playwright/test";
import { expect, shot, signIn, test, waitState, type StackRef } from "./helpers";

const DAY = 86_400_000;

async function post(request: APIRequestContext, s: StackRef, url: string, data: unknown) {
  const r = await request.post(`${s.baseUrl}${url}`, {
    headers: { authorization: `Bearer ${s.token}` },
    data,
  });
  expect(r.status(), `${url} ${await r.text()}`).toBeLessThan(300);
  return (await r.json()) as { id: string };
}

test("manager indicators: incident TTR trend and on-call rotations by team as charts", async ({
  page,
  request,
}) => {
  const s = await waitState();
  await post(request, s, "/api/v1/teams", { slug: "ops-book", name: "Ops book" });
  for (const svc of ["svc-1", "svc-2", "svc-3"])
    await post(request, s, "/api/v1/services", { slug: svc, name: svc, team: "ops-book" });
  for (const u of ["ann", "bob", "cat", "dan", "eve", "fay", "gus"])
    await post(request, s, "/api/v1/users", {
      email: `${u}.ops@example.com`,
      name: u,
      password: "a long password",
    });
  const daily = (...spans: [string, string][]) =>
    spans.map(([from, to]) => ({ days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], from, to }));
  const monday = new Date(Date.now() - 35 * DAY).toISOString().slice(0, 10);
  for (const [name, hours, services, members] of [
    ["Rotation 1", daily(["07:00", "19:00"]), ["svc-1"], ["ann", "bob"]],
    ["Rotation 2", daily(["08:00", "16:00"], ["19:00", "21:00"]), ["svc-2", "svc-3"], ["cat", "dan"]],
    ["Rotation 3", daily(["01:00", "05:00"]), ["svc-1"], ["eve"]],
    ["Rotation 4", daily(["01:00", "04:00"]), ["svc-2"], ["fay"]],
    ["Rotation 5", daily(["02:00", "05:00"]), ["svc-3"], ["gus"]],
  ] as const)
    await post(request, s, "/api/v1/schedules", {
      name,
      team: "ops-book",
      timeZone: "UTC",
      rotation: { periodDays: 7, handoff: "00:00", start: monday },
      activeHours: hours,
      positions: members.length === 2 ? ["main", "backup"] : ["main"],
      members: members.map((m) => `${m}.ops@example.com`),
      services,
    });
  // incidents of the last year, each resolved now (the live stack's clock): one point per incident
  for (const daysAgo of [300, 280, 230, 120, 40, 10]) {
    const i = await post(request, s, "/api/v1/incidents", {
      title: `Outage ${daysAgo} days ago`,
      services: ["svc-1"],
      startedAt: new Date(Date.now() - daysAgo * DAY).toISOString(),
      message: "Investigating.",
    });
    await post(request, s, `/api/v1/incidents/${i.id}/updates`, { state: "resolved", message: "Recovered." });
  }
  // the first load of the app on a busy machine can outlast signIn's checks: load it once first
  await page.goto(`${s.baseUrl}/`);
  await expect(page.getByLabel("Email")).toBeVisible({ timeout: 60_000 });
  await signIn(page, s);
  await page.goto(`${s.baseUrl}/indicators?team=ops-book`);
  const toc = page.getByRole("navigation", { name: "On this page" });
  await expect(toc.getByRole("link")).toHaveCount(10);
  await expect(toc.getByRole("link", { name: "Customer support ticket trend" })).toHaveAttribute(
    "href",
    "#support-tickets",
  );
  const ttr = page.getByRole("region", { name: "Incident time to recovery", exact: true });
  await expect(ttr.getByTestId("ttr-chart").locator("svg.recharts-surface").first()).toBeVisible();
  await expect(ttr.getByTestId("ttr-summary")).toContainText("6 incidents");
  await expect(ttr.locator(".recharts-scatter-symbol")).toHaveCount(6);
  // these recoveries took 10 to 300 days: the axis counts days, never a six-digit number of minutes
  const tickLabels = ttr.locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value");
  await expect(tickLabels.first()).toBeVisible();
  const ticks = await tickLabels.allTextContents();
  expect(ticks.length).toBeGreaterThan(2);
  for (const tick of ticks) expect(tick).toMatch(/^\d+(\.\d)? d$/);
  expect(Math.max(...ticks.map((x) => parseFloat(x)))).toBeLessThan(10_000);
  await expect(ttr.getByTestId("ttr-summary")).toContainText(/mean \d+ d, median \d+ d/);
  await expect(ttr.locator(".recharts-legend-item-text").getByText("Trend (d)")).toBeVisible();
  // the fitted line falls steeply, yet it ends at 0: no point of it lies below the axis' 0
  expect(ticks[0]).toBe("0 d");
  const zeroY = await ttr.locator(".recharts-yAxis-tick-lines line").first().getAttribute("y1");
  const path = (await ttr.locator(".ttr-trend path.recharts-line-curve").getAttribute("d")) ?? "";
  const ys = [...path.matchAll(/[ML]\s*[-\d.e]+[ ,]\s*([-\d.e]+)/g)].map((m) => Number(m[1]));
  expect(ys).toHaveLength(2);
  expect(Math.max(...ys)).toBeLessThanOrEqual(Number(zeroY) + 0.5);
  const oncall = page.getByRole("region", { name: "On-call rotations by team", exact: true });
  const rows = oncall.getByRole("table", { name: "Rotations of ops-book" }).locator("tbody tr");
  await expect(rows).toHaveCount(5);
  await expect(rows.nth(1)).toContainText("08:00–16:00, 19:00–21:00");
  await expect(oncall).toContainText("7 people on them");
  await expect(oncall.getByTestId("coverage-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(oncall).toContainText("svc-1 16 h/day");
  await toc.getByRole("link", { name: "Incident time to recovery" }).click();
  await ttr.screenshot({ path: "test-results/screenshots/indicators-ttr.png" });
  await oncall.screenshot({ path: "test-results/screenshots/indicators-oncall.png" });
  await shot(page, "indicators-ops");
  await page.setViewportSize({ width: 390, height: 844 });
  await oncall.scrollIntoViewIfNeeded();
  await oncall.screenshot({ path: "test-results/screenshots/indicators-oncall-phone.png" });
});
