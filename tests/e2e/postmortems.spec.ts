import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { apiGet, expect, shot, test, waitState, type StackRef } from "./helpers";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Signs in through the login form, waiting longer than the default for the first page on a busy machine. */
async function signIn(page: Page, s: StackRef) {
  await page.goto(`${s.baseUrl}/`);
  await expect(page).toHaveURL(/\/login/, { timeout: 30_000 });
  await page.getByLabel("Email").fill(s.admin.email);
  await page.getByLabel("Password").fill(s.admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible({ timeout: 30_000 });
}

test("postmortem editor: write one for a resolved incident, edit it, add and move an action item, see it overdue on the team page", async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const s = await waitState();
  const auth = { authorization: `Bearer ${s.token}` };
  const opened = await request.post(`${s.baseUrl}/api/v1/incidents`, {
    headers: auth,
    data: {
      title: "Checkout answers slowly in Europe",
      services: ["checkout"],
      priority: "P3",
      startedAt: new Date(Date.now() - 40 * 60 * 1000).toISOString(),
      message: "Checkout latency doubled after the cache cluster restarted.",
    },
  });
  expect(opened.status()).toBe(201);
  const incident = (await opened.json()) as { id: string; number: number; teams: string[] };
  const resolved = await request.post(`${s.baseUrl}/api/v1/incidents/${incident.id}/updates`, {
    headers: auth,
    data: { state: "resolved", message: "The cache is warm again." },
  });
  expect(resolved.status()).toBe(200);

  await signIn(page, s);
  await page.goto(`${s.baseUrl}/incidents/${incident.id}`);
  await page.getByRole("link", { name: "Postmortem" }).click();
  await expect(page).toHaveURL(new RegExp(`/incidents/${incident.id}/postmortem$`));
  // A P3 gets no postmortem by itself: one click writes it, with the incident's timeline.
  await page.getByRole("button", { name: "Write the postmortem" }).click();
  await expect(page.getByTestId("postmortem-status")).toHaveText("Draft");
  await expect(page.getByTestId("postmortem-timeline")).toContainText("cache cluster restarted");
  await expect(page.getByRole("heading", { name: "Impact on the error budgets" })).toBeVisible();

  const write = page.getByRole("form", { name: "Postmortem sections" });
  await write
    .getByLabel("Summary", { exact: true })
    .fill("Checkout answered in 2 s instead of 400 ms for 40 minutes after a cache restart.");
  await write.getByLabel("Trigger", { exact: true }).fill("A planned restart of the cache cluster.");
  await write
    .getByLabel("Root causes", { exact: true })
    .fill("The cache starts cold and the ops engineer should have warmed it.");
  await write.getByLabel("Where we got lucky", { exact: true }).fill("It happened at night in Europe.");
  await write.getByRole("button", { name: "Save postmortem" }).click();
  await expect(write.getByRole("status")).toHaveText("Saved.");
  // The blameless hint names the phrase that judges with hindsight.
  await expect(page.getByRole("list", { name: "Blameless wording hints" })).toContainText("should have");
  await write
    .getByLabel("Root causes", { exact: true })
    .fill("The cache starts cold; nothing warms it before traffic returns.");
  await write.getByRole("button", { name: "Save postmortem" }).click();
  await expect(page.getByRole("list", { name: "Blameless wording hints" })).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel("Root causes", { exact: true })).toHaveValue(/nothing warms it/);

  const add = page.getByRole("form", { name: "Add an action item" });
  await add.getByRole("button", { name: "Add action item" }).click();
  await expect(add.locator(".field-error").first()).toBeVisible();
  await add.getByLabel("Action", { exact: true }).fill("Warm the cache before it takes traffic");
  await add.getByLabel("Owner", { exact: true }).fill(s.admin.email);
  const past = new Date(Date.now() - 3 * DAY_MS).toISOString().slice(0, 10);
  await add.getByLabel("Due date", { exact: true }).fill(past);
  await add.getByLabel("Priority", { exact: true }).selectOption("P1");
  await add.getByLabel("Link", { exact: true }).fill("javascript:alert(1)");
  await add.getByRole("button", { name: "Add action item" }).click();
  await expect(add.getByText("must be an http(s) URL or a path starting with /").first()).toBeVisible();
  await add.getByLabel("Link", { exact: true }).fill("/incidents");
  await add.getByRole("button", { name: "Add action item" }).click();
  const items = page.getByRole("table", { name: "Action items" });
  await expect(items).toContainText("Warm the cache before it takes traffic");
  await expect(items).toContainText("overdue");
  await page.getByLabel("State of Warm the cache before it takes traffic").selectOption("in_work");
  await expect
    .poll(async () => {
      const pm = await apiGet<{ actionItems: { state: string }[] }>(
        request,
        s,
        `/api/v1/incidents/${incident.id}/postmortem`,
      );
      return pm.actionItems[0]?.state;
    })
    .toBe("in_work");
  await page.getByRole("button", { name: "Send to review" }).click();
  await expect(page.getByTestId("postmortem-status")).toHaveText("In review");
  await page.reload();
  await expect(page.getByLabel("State of Warm the cache before it takes traffic")).toHaveValue("in_work");
  // Export as Markdown: the file holds the sections as written and the action item.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export as Markdown" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`postmortem-incident-${incident.number}.md`);
  const md = readFileSync(await download.path(), "utf8");
  expect(md).toContain("## Root causes\n\nThe cache starts cold; nothing warms it before traffic returns.");
  expect(md).toContain("| Warm the cache before it takes traffic (overdue) |");
  await shot(page, "postmortem-editor-desktop");
  await page.setViewportSize({ width: 390, height: 844 });
  // At phone width the timeline's Time field shows its whole date and time: its box is as wide as the same
  // field needs when nothing squeezes it, and the page does not scroll sideways.
  const time = page.getByRole("form", { name: "Add to the timeline" }).getByLabel("Time");
  await time.fill("2026-03-01T14:05");
  const fit = await time.evaluate((el: HTMLInputElement) => {
    const probe = el.cloneNode() as HTMLInputElement;
    probe.style.cssText = "position:absolute;visibility:hidden;width:max-content;min-width:0";
    document.body.append(probe);
    const needed = probe.getBoundingClientRect().width;
    probe.remove();
    const page = document.scrollingElement!;
    return {
      has: el.getBoundingClientRect().width,
      needed,
      scroll: page.scrollWidth,
      client: page.clientWidth,
    };
  });
  expect(fit.has, JSON.stringify(fit)).toBeGreaterThanOrEqual(fit.needed - 1);
  expect(fit.scroll).toBeLessThanOrEqual(fit.client);
  await time.fill("");
  await shot(page, "postmortem-editor-phone");
  await page.setViewportSize({ width: 1440, height: 900 });

  // The team page lists the overdue action item.
  const team = incident.teams[0]!;
  await page.goto(`${s.baseUrl}/teams/${team}`);
  const overdue = page.getByRole("region", { name: "Overdue from postmortems" });
  await expect(overdue).toContainText("Warm the cache before it takes traffic");
  await expect(overdue.getByRole("link", { name: `#${incident.number}` })).toBeVisible();
});

test("stakeholder setup: add a ring with its escalation rule, then edit it", async ({ page, request }) => {
  test.setTimeout(120_000);
  const s = await waitState();
  const existing = await apiGet<{ number: number }[]>(request, s, "/api/v1/stakeholder-rings");
  const next = Math.max(0, ...existing.map((r) => r.number)) + 1;
  await signIn(page, s);
  await page.goto(`${s.baseUrl}/settings/stakeholders`);
  await expect(page.getByRole("heading", { name: "Stakeholder rings" })).toBeVisible();
  const create = page.getByRole("form", { name: "New stakeholder ring" });
  await expect(create.getByLabel("Ring number")).toHaveValue(String(next));
  await create.getByLabel("Name", { exact: true }).fill("Leadership");
  await create.getByLabel("Stakeholder groups").fill("Europe, all products");
  await create.getByLabel("Slack channels").fill("#leadership");
  await create.getByLabel("Emails").fill("cto@example.com, not-an-email");
  await create.getByRole("button", { name: "Add ring" }).click();
  await expect(create.locator(".field-error").first()).toBeVisible();
  await create.getByLabel("Emails").fill("cto@example.com, vp@example.com");
  await create.getByLabel("Tell if not resolved within (min)").fill("60");
  await create.getByLabel("Agreed by (departments)").fill("Leadership, Legal");
  await create.getByRole("button", { name: "Add ring" }).click();
  const ring = page.getByRole("form", { name: `Ring ${next}: Leadership` });
  await expect(ring).toBeVisible();
  await expect(ring.getByLabel("Tell if not resolved within (min)")).toHaveValue("60");
  await ring.getByLabel("Tell if not resolved within (min)").fill("90");
  await ring.getByRole("button", { name: "Save ring" }).click();
  await expect
    .poll(async () => {
      const rings = await apiGet<{ number: number; escalateAfterMinutes: number | null; emails: string[] }[]>(
        request,
        s,
        "/api/v1/stakeholder-rings",
      );
      return rings.find((r) => r.number === next);
    })
    .toMatchObject({ escalateAfterMinutes: 90, emails: ["cto@example.com", "vp@example.com"] });

  // The targeting matrix: a group of the new ring for Europe × two products, with a Burnrate user
  const matrix = page.getByRole("region", { name: "Targeting matrix" });
  const group = page.getByRole("form", { name: "New stakeholder group" });
  await group.getByLabel("Ring").selectOption(String(next));
  await group.getByLabel("Group name").fill("Europe retail leads");
  await group.getByLabel("Geographies or environments").fill("Europe");
  await group.getByLabel("Products").fill("Showcase, Checkout");
  await group.getByLabel("Burnrate users (emails)").fill("nobody-here@example.com");
  await group.getByRole("button", { name: "Add group" }).click();
  await expect(group.locator(".field-error").first()).toContainText("nobody-here@example.com");
  await group.getByLabel("Burnrate users (emails)").fill(s.admin.email);
  await group.getByRole("button", { name: "Add group" }).click();
  const grid = matrix.getByRole("table", { name: "Geographies × products" });
  await expect(grid.locator('[data-cell="Europe × Showcase"]')).toContainText(
    `Europe retail leads (ring ${next})`,
  );
  await expect(grid.locator('[data-cell="Europe × Checkout"]')).toContainText("Europe retail leads");
  await expect(grid.getByRole("rowheader", { name: "Worldwide" })).toBeVisible();
  await expect(grid.getByRole("columnheader", { name: "All products" })).toBeVisible();
  const groups = await apiGet<
    { name: string; geographies: string[]; products: string[]; users: { email: string }[] }[]
  >(request, s, "/api/v1/stakeholder-groups");
  expect(groups.find((g) => g.name === "Europe retail leads")).toMatchObject({
    geographies: ["Europe"],
    products: ["Showcase", "Checkout"],
    users: [{ email: s.admin.email }],
  });
  await shot(page, "stakeholder-setup-desktop");
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, "stakeholder-setup-phone");
});
