import type { Browser, Page } from "@playwright/test";
import { apiGet, expect, shot, signIn, syncClock, test, waitState } from "./helpers";

const DAY = 86_400_000;

/** A page of its own signed in as one person, on the on-call page. */
async function pageOf(browser: Browser, baseUrl: string, email: string): Promise<Page> {
  const context = await browser.newContext();
  await syncClock(context);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/`);
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible({ timeout: 20_000 });
  await page.getByRole("link", { name: "On call" }).click();
  await expect(page.getByRole("heading", { name: "On call", level: 1 })).toBeVisible();
  return page;
}

test("on-call page: a swap that names a colleague, who alone can answer it and declines it", async ({
  request,
  browser,
}) => {
  const s = await waitState();
  const auth = { authorization: `Bearer ${s.token}` };
  const people = ["kim", "lou", "max"].map((n) => ({ email: `${n}.named@example.com`, name: n }));
  for (const p of people) {
    const r = await request.post(`${s.baseUrl}/api/v1/users`, {
      headers: auth,
      data: { ...p, password: "a long password" },
    });
    expect([201, 409]).toContain(r.status());
  }
  const created = await request.post(`${s.baseUrl}/api/v1/schedules`, {
    headers: auth,
    data: {
      name: "Named swaps",
      team: "payments",
      timeZone: "UTC",
      rotation: {
        periodDays: 7,
        handoff: "09:00",
        start: new Date(Date.now() - 3 * DAY).toISOString().slice(0, 10),
      },
      positions: ["main"],
      members: people.map((p) => p.email),
    },
  });
  expect(created.status()).toBe(201);
  const scheduleId = ((await created.json()) as { id: string }).id;
  const now = await apiGet<{ positions: Record<string, { email: string }> }>(
    request,
    s,
    `/api/v1/schedules/${scheduleId}/oncall`,
  );
  const holder = people.find((p) => p.email === now.positions.main!.email)!;
  const [asked, other] = people.filter((p) => p !== holder) as [(typeof people)[0], (typeof people)[0]];

  // The holder asks one colleague by name.
  const holderPage = await pageOf(browser, s.baseUrl, holder.email);
  const swaps = holderPage.getByRole("region", { name: "Swaps of Named swaps" });
  await swaps.getByRole("button", { name: "Request a swap" }).click();
  const ask = swaps.getByRole("form", { name: "Request a swap on Named swaps" });
  const shift = ask.getByLabel("Shift", { exact: true });
  await shift.selectOption((await shift.locator("option").nth(1).getAttribute("value"))!);
  await ask.getByLabel("Ask").selectOption(asked.email);
  await ask.getByLabel("Note").fill("moving house");
  await ask.getByRole("button", { name: "Ask for a swap" }).click();
  await expect(ask).toHaveCount(0);
  const mine = swaps.getByRole("listitem", { name: `Swap of ${holder.name}` });
  await expect(mine).toContainText(`${holder.name} asks ${asked.name} to take their shifts`);
  await holderPage.context().close();

  // Another colleague sees it but cannot take it: it names someone else.
  const otherPage = await pageOf(browser, s.baseUrl, other.email);
  const seen = otherPage
    .getByRole("region", { name: "Swaps of Named swaps" })
    .getByRole("listitem", { name: `Swap of ${holder.name}` });
  await expect(seen.getByLabel("Taken by")).toBeDisabled();
  await expect(seen.getByLabel("Taken by")).toHaveValue(asked.email);
  await seen.getByRole("button", { name: "Decline" }).click();
  await expect(seen.getByRole("alert")).toContainText("This swap cannot be done:");
  await expect(seen.getByRole("alert")).toContainText(`only they can decline it`);
  await otherPage.context().close();

  // The colleague asked declines: the swap is closed and the holder keeps the shift.
  const askedPage = await pageOf(browser, s.baseUrl, asked.email);
  const card = askedPage.getByRole("region", { name: "Schedule Named swaps" });
  const theirs = card
    .getByRole("region", { name: "Swaps of Named swaps" })
    .getByRole("listitem", { name: `Swap of ${holder.name}` });
  await shot(askedPage, "oncall-swap-named");
  await theirs.getByRole("button", { name: "Decline" }).click();
  await expect(theirs).toHaveAttribute("data-state", "declined");
  await expect(theirs).toContainText(`${asked.name} declined to take ${holder.name}'s shifts`);
  await expect(card.getByTestId("now-main")).toContainText(holder.name);
  await shot(askedPage, "oncall-swap-declined");
  const listed = await apiGet<{ state: string; declinedBy: { email: string } | null }[]>(
    request,
    s,
    `/api/v1/schedules/${scheduleId}/swaps`,
  );
  expect(listed).toEqual([
    expect.objectContaining({
      state: "declined",
      declinedBy: expect.objectContaining({ email: asked.email }),
    }),
  ]);
  await askedPage.context().close();
});

test("SLO editor: a Slack channel per severity, kept after a save and a reload", async ({ page }) => {
  const s = await waitState();
  await signIn(page, s);
  await page.goto(`${s.baseUrl}/slos/${s.sloId}/edit`);
  await expect(page.getByRole("heading", { name: /^Edit /, level: 1 })).toBeVisible();
  await page.getByLabel("Slack channel for pages").fill("#payments-oncall");
  await page.getByLabel("Slack channel for tickets").fill("#payments-tickets");
  await shot(page, "slo-editor-slack-channels");
  await page.getByLabel("Reason for the change").fill("pages to the on-call channel");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).not.toHaveURL(/\/edit$/);
  const slo = await apiGetSlo(page, s);
  expect(slo.alerting?.slackChannels).toEqual({ page: "#payments-oncall", ticket: "#payments-tickets" });
  await page.goto(`${s.baseUrl}/slos/${s.sloId}/edit`);
  await expect(page.getByLabel("Slack channel for pages")).toHaveValue("#payments-oncall");
  await expect(page.getByLabel("Slack channel for tickets")).toHaveValue("#payments-tickets");
  // Cleared: back to the team's channel.
  await page.getByLabel("Slack channel for pages").fill("");
  await page.getByLabel("Slack channel for tickets").fill("");
  await page.getByLabel("Reason for the change").fill("back to the team's channel");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).not.toHaveURL(/\/edit$/);
  expect((await apiGetSlo(page, s)).alerting?.slackChannels).toBeUndefined();
});

async function apiGetSlo(page: Page, s: { baseUrl: string; token: string; sloId: string }) {
  const r = await page.request.get(`${s.baseUrl}/api/v1/slos/${s.sloId}`, {
    headers: { authorization: `Bearer ${s.token}` },
  });
  expect(r.status()).toBe(200);
  return (await r.json()) as { alerting: { slackChannels?: Record<string, string> } | null };
}
