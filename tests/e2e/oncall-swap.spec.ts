import type { Browser, Page } from "@playwright/test";
import { apiGet, expect, shot, signIn, syncClock, test, waitState } from "./helpers";

const DAY = 86_400_000;

/** A page of its own signed in as one person (a fresh context, so its own session cookie). */
async function pageOf(browser: Browser, baseUrl: string, email: string): Promise<Page> {
  const context = await browser.newContext();
  await syncClock(context);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/`);
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page.getByRole("link", { name: "On call" }).click();
  await expect(page.getByRole("heading", { name: "On call", level: 1 })).toBeVisible();
  return page;
}

test("on-call page: a member asks for a swap, a colleague takes it, the timeline shows the new holder", async ({
  page,
  request,
  browser,
}) => {
  const s = await waitState();
  const auth = { authorization: `Bearer ${s.token}` };
  const people = ["gus", "hal", "ivy"].map((n) => ({ email: `${n}.swap@example.com`, name: n }));
  for (const p of people) {
    const r = await request.post(`${s.baseUrl}/api/v1/users`, {
      headers: auth,
      data: { ...p, password: "a long password" },
    });
    expect([201, 409]).toContain(r.status());
  }
  // Three people, two positions: each period one of them is off.
  const created = await request.post(`${s.baseUrl}/api/v1/schedules`, {
    headers: auth,
    data: {
      name: "Swap weekly",
      team: "payments",
      timeZone: "UTC",
      rotation: {
        periodDays: 7,
        handoff: "09:00",
        start: new Date(Date.now() - 3 * DAY).toISOString().slice(0, 10),
      },
      positions: ["main", "backup"],
      members: people.map((p) => p.email),
    },
  });
  expect(created.status()).toBe(201);
  const scheduleId = ((await created.json()) as { id: string }).id;
  const now = await apiGet<{ positions: Record<string, { email: string; name: string }> }>(
    request,
    s,
    `/api/v1/schedules/${scheduleId}/oncall`,
  );
  const main = now.positions.main!;
  const backup = now.positions.backup!;
  const off = people.find((p) => p.email !== main.email && p.email !== backup.email)!;

  // The main asks, picking their current shift.
  const mainPage = await pageOf(browser, s.baseUrl, main.email);
  const swaps = mainPage.getByRole("region", { name: "Swaps of Swap weekly" });
  await swaps.getByRole("button", { name: "Request a swap" }).click();
  const ask = swaps.getByRole("form", { name: "Request a swap on Swap weekly" });
  await expect(ask.getByLabel("Whose shifts")).toHaveValue(main.email);
  const shift = ask.getByLabel("Shift", { exact: true });
  const firstShift = await shift.locator("option").nth(1).getAttribute("value");
  await shift.selectOption(firstShift!);
  await expect(ask.getByLabel("From", { exact: true })).not.toHaveValue("");
  await ask.getByLabel("Note").fill("family wedding");
  await ask.getByRole("button", { name: "Ask for a swap" }).click();
  await expect(ask).toHaveCount(0);
  const pending = swaps.getByRole("listitem", { name: `Swap of ${main.name}` });
  await expect(pending).toHaveAttribute("data-state", "open");
  await expect(pending).toContainText("family wedding");
  await mainPage.context().close();

  // An editor tries to give it to the backup: one person in two positions is refused, in plain words.
  await signIn(page, s);
  await page.getByRole("link", { name: "On call" }).click();
  const adminSwap = page
    .getByRole("region", { name: "Swaps of Swap weekly" })
    .getByRole("listitem", { name: `Swap of ${main.name}` });
  await adminSwap.getByLabel("Taken by").selectOption(backup.email);
  await adminSwap.getByRole("button", { name: "Accept" }).click();
  await expect(adminSwap.getByRole("alert")).toContainText("This swap cannot be done:");
  await expect(adminSwap.getByRole("alert")).toContainText(backup.name);

  // The colleague who is off sees the request and takes it.
  const offPage = await pageOf(browser, s.baseUrl, off.email);
  const card = offPage.getByRole("region", { name: "Schedule Swap weekly" });
  const theirs = card
    .getByRole("region", { name: "Swaps of Swap weekly" })
    .getByRole("listitem", { name: `Swap of ${main.name}` });
  await expect(theirs).toContainText(`${main.name} asks for someone to take their shifts`);
  await expect(theirs.getByLabel("Taken by")).toHaveValue(off.email);
  await theirs.getByRole("button", { name: "Accept" }).click();
  await expect(theirs).toHaveAttribute("data-state", "accepted");
  await expect(theirs).toContainText(`${off.name} takes ${main.name}'s shifts`);
  await expect(card.getByTestId("now-main")).toContainText(off.name);
  const swapBars = card.getByTestId("timeline-main").locator("[data-source='swap']");
  await expect(swapBars).toHaveCount(1);
  await expect(swapBars).toHaveAttribute("title", new RegExp(`^${off.name} \\(${off.email}\\)`));
  await shot(offPage, "oncall-swap");
  const after = await apiGet<{ positions: Record<string, { email: string; source: string }> }>(
    request,
    s,
    `/api/v1/schedules/${scheduleId}/oncall`,
  );
  expect(after.positions.main).toMatchObject({ email: off.email, source: "swap" });
  await offPage.context().close();
});
