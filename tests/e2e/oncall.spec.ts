import { apiGet, expect, shot, signIn, test, waitState } from "./helpers";

const DAY = 86_400_000;

test("on-call page: create a schedule and an override in the browser; who is on call and the timeline follow", async ({
  page,
  request,
}) => {
  const s = await waitState();
  const people = ["ann", "ben", "cat", "dora"].map((n) => ({ email: `${n}.oncall@example.com`, name: n }));
  for (const p of people) {
    const r = await request.post(`${s.baseUrl}/api/v1/users`, {
      headers: { authorization: `Bearer ${s.token}` },
      data: { ...p, password: "a long password" },
    });
    expect([201, 409]).toContain(r.status());
  }
  await signIn(page, s);
  await page.getByRole("link", { name: "On call" }).click();
  await expect(page.getByRole("heading", { name: "On call", level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/oncall$/);

  // A weekly three-person rotation that started ten days ago, so the timeline shows a hand-off mid-way.
  // The form is open by itself only while no schedule exists (other specs may have made one first).
  const form = page.getByRole("form", { name: "New schedule" });
  const opener = page.getByRole("button", { name: "New schedule" });
  // (the header's button is there either way, so wait for it, then open the form unless it is open)
  await expect(opener).toBeVisible();
  if (!(await form.isVisible())) await opener.click();
  await form.getByLabel("Name", { exact: true }).fill("Payments weekly");
  await form.getByLabel("Team", { exact: true }).selectOption("payments");
  await form.getByLabel("Time zone", { exact: true }).fill("Europe/Berlin");
  await form.getByLabel("Active hours", { exact: true }).selectOption("24x7");
  await form.getByLabel("Hand-off", { exact: true }).fill("09:00");
  await form
    .getByLabel("First hand-off", { exact: true })
    .fill(new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10));
  await form.getByLabel("Positions", { exact: true }).selectOption("3");
  await form.getByLabel(/Members/).fill(
    people
      .slice(0, 3)
      .map((p) => p.email)
      .join(", "),
  );
  // A zone that does not exist first: the API names the field and nothing is created
  await form.getByLabel("Time zone", { exact: true }).fill("Europe/Nowhere");
  await form.getByRole("button", { name: "Create schedule" }).click();
  await expect(form.getByRole("alert")).toContainText("timeZone");
  await form.getByLabel("Time zone", { exact: true }).fill("Europe/Berlin");
  await form.getByRole("button", { name: "Create schedule" }).click();

  const card = page.getByRole("region", { name: "Schedule Payments weekly" });
  await expect(card).toBeVisible();
  const schedules = await apiGet<{ id: string; name: string }[]>(request, s, "/api/v1/schedules");
  const id = schedules.find((x) => x.name === "Payments weekly")!.id;
  const now = await apiGet<{ positions: Record<string, { name: string } | null> }>(
    request,
    s,
    `/api/v1/schedules/${id}/oncall`,
  );
  for (const p of ["main", "backup", "backup2"])
    await expect(card.getByTestId(`now-${p}`)).toContainText(now.positions[p]!.name);
  // Four periods: the current one (clipped at now) and three more, as many bars per row as the API lists.
  const shifts = await apiGet<{ shifts: { position: string }[] }>(
    request,
    s,
    `/api/v1/schedules/${id}/shifts`,
  );
  expect(shifts.shifts.filter((x) => x.position === "main")).toHaveLength(4);
  await expect(card.getByTestId("timeline-main").getByTestId("shift")).toHaveCount(4);
  await expect(card.getByTestId("timeline-backup2").getByTestId("shift")).toHaveCount(4);

  // dora covers the main position for the next four hours
  const override = page.getByRole("form", { name: "New override" });
  await override.getByLabel("Schedule", { exact: true }).selectOption({ label: "Payments weekly" });
  await override.getByLabel("Position", { exact: true }).selectOption("main");
  await override.getByLabel("Who (email)", { exact: true }).fill(people[3]!.email);
  await override.getByLabel("Reason", { exact: true }).fill("main at the dentist");
  await override.getByRole("button", { name: "Add override" }).click();
  await expect(override.getByRole("status")).toContainText("dora holds Main");
  await expect(card.getByTestId("now-main")).toContainText("dora");
  await expect(card.getByTestId("now-main")).toContainText("override");
  await expect(card.locator("[data-source='override']")).toHaveCount(1);
  await expect(card.getByLabel("Overrides of Payments weekly")).toContainText("main at the dentist");
  const after = await apiGet<{ positions: Record<string, { email: string; source: string } | null> }>(
    request,
    s,
    `/api/v1/schedules/${id}/oncall`,
  );
  expect(after.positions.main).toMatchObject({ email: people[3]!.email, source: "override" });
  // A personal calendar feed: a link with its token, read without a session.
  await page.getByRole("button", { name: "My calendar feed" }).click();
  const link = await page.getByRole("status", { name: "Calendar feed" }).locator("code").innerText();
  expect(link).toMatch(/\/api\/v1\/users\/[0-9a-f-]+\/ical\?token=brcal_/);
  const ics = await request.get(link);
  expect(ics.status()).toBe(200);
  expect(ics.headers()["content-type"]).toMatch(/^text\/calendar/);
  expect(await ics.text()).toContain("BEGIN:VCALENDAR");
  await shot(page, "oncall");
});
