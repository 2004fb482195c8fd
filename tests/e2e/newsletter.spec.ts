import type { NewsletterPreviewResponse, PostmortemSettings } from "../../packages/contracts/src/index.ts";
import path from "node:path";
import { apiGet, expect as baseExpect, shot, shots, signIn, test, waitState } from "./helpers";

const expect = baseExpect.configure({ timeout: 15_000 });

test("the newsletter preview: reached from the team page, the API's numbers, the Slack text and the email", async ({
  page,
  request,
}) => {
  const s = await waitState();
  const put = await request.put(`${s.baseUrl}/api/v1/teams/payments/newsletter/settings`, {
    headers: { authorization: `Bearer ${s.token}` },
    // a channel of its own: should the stack's clock pass the slot, the team's channel gets nothing unexpected
    data: {
      enabled: true,
      weekday: 1,
      time: "09:00",
      timeZone: "Europe/Berlin",
      slackChannel: "newsletter-e2e",
      emails: ["po@example.com"],
    },
  });
  expect(put.status()).toBe(200);
  const n = await apiGet<NewsletterPreviewResponse>(request, s, "/api/v1/teams/payments/newsletter");
  expect(n.content.slos.length).toBeGreaterThan(0);

  await signIn(page, s);
  await page.goto(`${s.baseUrl}/teams/payments`);
  await page.getByRole("link", { name: "Newsletter" }).click();
  await expect(page).toHaveURL(/\/teams\/payments\/newsletter$/);
  await expect(page.getByRole("heading", { name: `Newsletter · ${n.content.scope.name}` })).toBeVisible();
  await expect(page.getByTestId("nl-schedule")).toContainText("Sent every Monday at 09:00 (Europe/Berlin)");
  await expect(page.getByTestId("nl-schedule")).toContainText("to #newsletter-e2e and 1 email address");
  for (const [id, v] of [
    ["nl-slos", n.content.summary.slos],
    ["nl-met", n.content.summary.met],
    ["nl-broken", n.content.summary.broken],
    ["nl-nodata", n.content.summary.noData],
  ] as const)
    await expect(page.getByTestId(id).locator(".kpi-value")).toHaveText(String(v));
  const table = page.getByRole("table", { name: "SLOs of the week" });
  await expect(table.locator("tbody tr")).toHaveCount(n.content.slos.length);
  const line = n.content.slos[0]!;
  const row = table.locator("tbody tr").first();
  await expect(row).toContainText(line.name);
  await expect(row).toContainText(
    line.budgetRemaining === null ? "–" : `${(line.budgetRemaining * 100).toFixed(1)}%`,
  );
  await expect(page.getByRole("region", { name: "Slack message" }).locator("pre")).toHaveText(n.slack.text);
  await expect(page.getByRole("region", { name: "Email" })).toContainText(`Subject: ${n.email.subject}`);
  await expect(
    page.frameLocator("iframe.newsletter-email").getByRole("heading", { name: n.email.subject }),
  ).toBeVisible();

  // The week before: the address says which, and the API's numbers for it are shown.
  const dayShift = (ymd: string, days: number) =>
    new Date(Date.parse(`${ymd}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  await page.getByRole("button", { name: "← Previous week" }).click();
  const prevFirst = dayShift(n.content.week.firstDay, -7);
  await expect(page).toHaveURL(new RegExp(`week=${prevFirst}`));
  const prev = await apiGet<NewsletterPreviewResponse>(
    request,
    s,
    `/api/v1/teams/payments/newsletter?week=${prevFirst}`,
  );
  await expect(page.getByTestId("nl-nodata").locator(".kpi-value")).toHaveText(
    String(prev.content.summary.noData),
  );
  // The running week (the stack's recent traffic): as it would be sent if the week ended now.
  await page.getByRole("button", { name: "Next week →" }).click();
  await expect(page).toHaveURL(new RegExp(`week=${n.content.week.firstDay}`));
  await expect(page.getByRole("region", { name: "Slack message" }).locator("pre")).toHaveText(n.slack.text);
  await page.getByRole("button", { name: "Next week →" }).click();
  const current = dayShift(n.content.week.firstDay, 7);
  await expect(page).toHaveURL(new RegExp(`week=${current}`));
  const now = await apiGet<NewsletterPreviewResponse>(
    request,
    s,
    `/api/v1/teams/payments/newsletter?week=${current}`,
  );
  await expect(page.getByTestId("nl-met").locator(".kpi-value")).toHaveText(String(now.content.summary.met));
  await expect(page.getByTestId("nl-broken").locator(".kpi-value")).toHaveText(
    String(now.content.summary.broken),
  );
  await expect(page.getByRole("region", { name: "Slack message" }).locator("pre")).toHaveText(now.slack.text);
  // the email's frame is laid out and painted before each picture
  const email = page.getByRole("region", { name: "Email" });
  const painted = async () => {
    await email.scrollIntoViewIfNeeded();
    await expect(
      page.frameLocator("iframe.newsletter-email").getByRole("heading", { name: now.email.subject }),
    ).toBeVisible();
    await page.waitForTimeout(300);
  };
  await painted();
  await shot(page, "newsletter");
  await page.emulateMedia({ colorScheme: "dark" });
  await painted();
  await shot(page, "newsletter-dark");
  // (a full-page picture may leave a frame unpainted: Chromium's, microsoft/playwright#40583)
  await email.screenshot({ path: path.join(shots, "newsletter-dark-email.png") });
  await page.emulateMedia({ colorScheme: "light" });
  await expect(page.getByRole("button", { name: "Last complete week" })).toBeVisible();

  await page.setViewportSize({ width: 390, height: 844 });
  await painted();
  await shot(page, "newsletter-phone");
  await email.screenshot({ path: path.join(shots, "newsletter-phone-email.png") });
  await page.getByRole("button", { name: "Last complete week" }).click();
  await expect(page).toHaveURL(/\/teams\/payments\/newsletter$/);
  await expect(page.getByTestId("nl-nodata").locator(".kpi-value")).toHaveText(
    String(n.content.summary.noData),
  );
  const off = await request.put(`${s.baseUrl}/api/v1/teams/payments/newsletter/settings`, {
    headers: { authorization: `Bearer ${s.token}` },
    data: { enabled: false },
  });
  expect(off.status()).toBe(200);
});

test("the priorities that require a postmortem are chosen in the settings", async ({ page, request }) => {
  const s = await waitState();
  await signIn(page, s);
  await page.goto(`${s.baseUrl}/settings/slack`);
  const form = page.getByRole("form", { name: "Priorities that require a postmortem" });
  await expect(form.getByRole("checkbox", { name: "P1" })).toBeChecked();
  await expect(form.getByRole("checkbox", { name: "P2" })).not.toBeChecked();
  await form.getByRole("checkbox", { name: "P2" }).check();
  const days = form.getByLabel("Postmortem due (days after resolution)");
  await expect(days).toHaveValue("3");
  await days.fill("5");
  await form.getByRole("button", { name: /Save postmortem priorities/ }).click();
  await expect(form.getByRole("status")).toHaveText("Saved.");
  const after = await apiGet<PostmortemSettings>(request, s, "/api/v1/settings/postmortems");
  expect(after.requiredPriorities).toEqual(["P1", "P2"]);
  expect(after.dueDays).toBe(5);
  await expect(page.getByText("creates its postmortem, due 5 days later")).toBeVisible();
  await shot(page, "settings-postmortems");
  // back to the default for the other tests
  const r = await request.put(`${s.baseUrl}/api/v1/settings/postmortems`, {
    headers: { authorization: `Bearer ${s.token}` },
    data: { requiredPriorities: ["P1"], dueDays: 3 },
  });
  expect(r.status()).toBe(200);
});
