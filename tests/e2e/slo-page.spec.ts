import path from "node:path";
import { expect, shots, signIn, test, waitState } from "./helpers";

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
  await expect(page.getByRole("figure", { name: "Burn rate" })).toBeVisible();
  await page.screenshot({ path: path.join(shots, "slo-page.png"), fullPage: true });
  for (const name of ["Error budget remaining", "SLI versus objective", "Burn rate"]) {
    const fig = page.getByRole("figure", { name });
    await expect(fig).toBeVisible();
    // A drawn series is an SVG path with a real d attribute (not an empty chart).
    const d = await fig.locator("path.recharts-curve, path.recharts-area-area").first().getAttribute("d");
    expect(d?.length ?? 0).toBeGreaterThan(50);
  }
  await expect(page.getByRole("figure", { name: "Error budget remaining" })).toContainText("v1.42.0");
  await expect(page.locator("section[aria-label='Alert history']")).toContainText("page");

  await page.getByLabel("Region", { exact: true }).selectOption("prod-us");
  await expect(page).toHaveURL(/region=prod-us/);
  await expect(page.locator(".kpi", { hasText: "Tiers firing" })).toContainText("0");

  const fake = (await (await request.get(s.slackUrl.replace(/api\/$/, "_fake/messages"))).json()) as {
    messages: { channel: string; threadTs: string | null }[];
  };
  expect(fake.messages.filter((m) => m.channel === s.channel && m.threadTs === null)).toHaveLength(1);
});
