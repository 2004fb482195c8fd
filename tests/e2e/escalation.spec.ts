import { apiGet, expect, shot, signIn, test, waitState } from "./helpers";

test("on-call page: build an escalation policy with ordered steps, and set my notification rules", async ({
  page,
  request,
}) => {
  const s = await waitState();
  const auth = { authorization: `Bearer ${s.token}` };
  const r = await request.post(`${s.baseUrl}/api/v1/users`, {
    headers: auth,
    data: { email: "erin.manager@example.com", name: "erin", password: "a long password" },
  });
  expect([201, 409]).toContain(r.status());
  await signIn(page, s);
  await page.getByRole("link", { name: "On call" }).click();
  await expect(page.getByRole("heading", { name: "On call", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "New escalation policy" }).click();
  const form = page.getByRole("form", { name: "New escalation policy" });
  await form.getByLabel("Name", { exact: true }).fill("Payments pages");
  await form.getByLabel("Team", { exact: true }).selectOption("payments");
  // Step 1: whoever is on call (main); step 2: the manager; step 3: the whole team.
  const step = (n: number) => form.getByRole("listitem", { name: `Step ${n}` });
  await step(1).getByLabel("Wait for an ack (min)").fill("60");
  await form.getByRole("button", { name: "Add step" }).click();
  await step(2).getByLabel("Email").fill("erin.manager@example.com");
  await step(2).getByLabel("Wait for an ack (min)").fill("240");
  await form.getByRole("button", { name: "Add step" }).click();
  await step(3).getByLabel("Notify").selectOption("team");
  await step(3).getByLabel("Team", { exact: true }).selectOption("payments");
  await step(3).getByLabel("Wait for an ack (min)").fill("120");
  // The team goes before the manager (the book's order): one arrow up.
  await form.getByRole("button", { name: "Move step 3 up" }).click();
  await expect(step(2).getByLabel("Notify")).toHaveValue("team");
  await expect(step(3).getByLabel("Email")).toHaveValue("erin.manager@example.com");
  await form.getByLabel("Repeat the chain").fill("3");
  // A person who does not exist first: the API names the step's field and nothing is created.
  await step(3).getByLabel("Email").fill("nobody@example.com");
  await form.getByRole("button", { name: "Create policy" }).click();
  await expect(form.getByRole("alert")).toContainText("steps.2.target");
  await step(3).getByLabel("Email").fill("erin.manager@example.com");
  await form.getByRole("button", { name: "Create policy" }).click();

  const card = page.getByRole("region", { name: "Escalation policy Payments pages" });
  await expect(card).toBeVisible();
  await expect(card.getByRole("listitem")).toHaveText([
    /^Main on call .* at \+0 s, waits 1 h$/,
    /^Team .* at \+1 h, waits 2 h$/,
    /^erin at \+3 h, waits 4 h$/,
  ]);
  const policies = await apiGet<
    {
      name: string;
      repeat: number;
      teamDefault: boolean;
      steps: { target: object; ackTimeoutSeconds: number }[];
    }[]
  >(request, s, "/api/v1/escalation-policies");
  const made = policies.find((p) => p.name === "Payments pages")!;
  expect(made).toMatchObject({ repeat: 3, teamDefault: true });
  expect(made.steps.map((x) => [x.target, x.ackTimeoutSeconds])).toEqual([
    [{ routed: "main" }, 3600],
    [{ team: "payments" }, 7200],
    [{ user: "erin.manager@example.com" }, 14_400],
  ]);

  // My rules: no email for tickets.
  const rules = page.getByRole("region", { name: "My notification rules" });
  await expect(rules.getByLabel("Email for a ticket")).toBeChecked();
  await rules.getByLabel("Email for a ticket").uncheck();
  await rules.getByRole("button", { name: "Save my rules" }).click();
  await expect(rules.getByText("Saved.")).toBeVisible();
  await page.reload();
  await expect(
    page.getByRole("region", { name: "My notification rules" }).getByLabel("Email for a ticket"),
  ).not.toBeChecked();
  // Email only on weekdays 09:00–18:00 (Berlin time); Slack DM always.
  const mine = page.getByRole("region", { name: "My notification rules" });
  await mine.getByLabel("Email: when").selectOption("weekdays");
  await mine.getByLabel("Email: from").fill("09:00");
  await mine.getByLabel("Email: to").fill("18:00");
  await mine.getByLabel("Time zone of my hours").fill("Europe/Berlin");
  await mine.getByRole("button", { name: "Save my rules" }).click();
  await expect(mine.getByText("Saved.")).toBeVisible();
  await shot(page, "my-notification-rules");
  await page.reload();
  const again = page.getByRole("region", { name: "My notification rules" });
  await expect(again.getByLabel("Email: when")).toHaveValue("weekdays");
  await expect(again.getByLabel("Email: to")).toHaveValue("18:00");
  await expect(again.getByLabel("Slack direct message: when")).toHaveValue("always");
  await expect(again.getByLabel("Time zone of my hours")).toHaveValue("Europe/Berlin");
  await page.getByRole("button", { name: "New escalation policy" }).click();
  await shot(page, "escalation-policies");
});

test("on-call page: edit an escalation policy in place, with a user group as a step; the change is kept", async ({
  page,
  request,
}) => {
  const s = await waitState();
  const auth = { authorization: `Bearer ${s.token}` };
  const group = await request.post(`${s.baseUrl}/api/v1/user-groups`, {
    headers: auth,
    data: { name: "Payments leads (edit)", team: "payments", members: [s.admin.email] },
  });
  expect(group.status()).toBe(201);
  const groupId = ((await group.json()) as { id: string }).id;
  const made = await request.post(`${s.baseUrl}/api/v1/escalation-policies`, {
    headers: auth,
    data: {
      name: "Checkout pages",
      team: "payments",
      repeat: 1,
      steps: [{ target: { routed: "main" }, ackTimeoutSeconds: 1800 }],
    },
  });
  expect(made.status()).toBe(201);
  const policyId = ((await made.json()) as { id: string }).id;

  await signIn(page, s);
  await page.getByRole("link", { name: "On call" }).click();
  await page.getByRole("button", { name: "Edit Checkout pages" }).click();
  const form = page.getByRole("form", { name: "Edit escalation policy" });
  // The editor holds the saved policy.
  await expect(form.getByLabel("Name", { exact: true })).toHaveValue("Checkout pages");
  await expect(form.getByLabel("Repeat the chain")).toHaveValue("1");
  const step = (n: number) => form.getByRole("listitem", { name: `Step ${n}` });
  await expect(step(1).getByLabel("Notify")).toHaveValue("routed");
  await expect(step(1).getByLabel("Wait for an ack (min)")).toHaveValue("30");
  // Cancel leaves it as it was.
  await form.getByLabel("Name", { exact: true }).fill("Thrown away");
  await form.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("region", { name: "Escalation policy Checkout pages" })).toBeVisible();

  await page.getByRole("button", { name: "Edit Checkout pages" }).click();
  await form.getByLabel("Name", { exact: true }).fill("Checkout and refunds pages");
  await step(1).getByLabel("Wait for an ack (min)").fill("45");
  await form.getByRole("button", { name: "Add step" }).click();
  await step(2).getByLabel("Notify").selectOption("group");
  await step(2).getByLabel("Wait for an ack (min)").fill("15");
  // No group chosen: the API names the step's field and nothing changes.
  await form.getByRole("button", { name: "Save policy" }).click();
  await expect(form.getByRole("alert")).toContainText("steps.1.target");
  await step(2)
    .getByLabel("Group", { exact: true })
    .selectOption({ label: "Payments leads (edit) (payments)" });
  await shot(page, "escalation-policy-edit");
  await form.getByRole("button", { name: "Save policy" }).click();
  await expect(form).toHaveCount(0);

  await page.reload();
  const card = page.getByRole("region", { name: "Escalation policy Checkout and refunds pages" });
  await expect(card.getByRole("listitem")).toHaveText([
    /^Main on call .* at \+0 s, waits 45 min$/,
    /^.*Payments leads \(edit\).* at \+45 min, waits 15 min$/,
  ]);
  const saved = await apiGet<{
    name: string;
    repeat: number;
    steps: { target: object; ackTimeoutSeconds: number }[];
  }>(request, s, `/api/v1/escalation-policies/${policyId}`);
  expect(saved).toMatchObject({ name: "Checkout and refunds pages", repeat: 1 });
  expect(saved.steps.map((x) => [x.target, x.ackTimeoutSeconds])).toEqual([
    [{ routed: "main" }, 2700],
    [{ group: groupId }, 900],
  ]);
});
