import AxeBuilder from "@axe-core/playwright";
import { apiGet, expect, shot, signIn, test, waitState } from "./helpers";

test("incidents page: open an incident, post updates through to resolved, and see it on the status page", async ({
  page,
  request,
  browser,
}) => {
  const s = await waitState();
  const ring = await request.post(`${s.baseUrl}/api/v1/stakeholder-rings`, {
    headers: { authorization: `Bearer ${s.token}` },
    data: { number: 1, name: "Product management", groups: ["PMs"], slackChannels: ["pm-incidents"] },
  });
  expect([201, 409]).toContain(ring.status());
  await signIn(page, s);
  await page.getByRole("link", { name: "Incidents" }).click();
  await expect(page.getByRole("heading", { name: "Incidents", level: 1 })).toBeVisible();

  const open = page.getByRole("form", { name: "Open an incident" });
  // Too short a title first: the form names the field and nothing is sent.
  await open.getByLabel("Title", { exact: true }).fill("x");
  await open.getByRole("button", { name: "Open incident" }).click();
  await expect(page.getByTestId("incident-title-error")).toBeVisible();
  await open.getByLabel("Title", { exact: true }).fill("Card payments fail at checkout");
  await open.getByLabel("Service", { exact: true }).selectOption("checkout");
  await open.getByLabel("Priority", { exact: true }).selectOption("P2");
  await open.getByLabel("Severity", { exact: true }).selectOption("error");
  await open
    .getByLabel("First update", { exact: true })
    .fill("Card payments fail for some customers. Investigating.");
  await open.getByLabel("Show the first update on status pages").check();
  await open.getByRole("button", { name: "Open incident" }).click();

  await expect(page.getByRole("heading", { name: "Card payments fail at checkout", level: 1 })).toBeVisible();
  await expect(page.getByTestId("incident-state")).toHaveText("Investigating");
  const id = page.url().split("/").pop()!;

  const update = page.getByRole("form", { name: "Post an update" });
  await update
    .getByLabel("Update", { exact: true })
    .fill("The payment provider's certificate expired; renewing it.");
  await update.getByLabel("New state").selectOption("identified");
  await update.getByLabel("Priority", { exact: true }).selectOption("P1");
  await update.getByLabel("Show on status pages").check();
  await update.getByRole("button", { name: "Post update" }).click();
  await expect(page.getByTestId("incident-state")).toHaveText("Identified");
  const timeline = page.getByTestId("incident-timeline");
  await expect(timeline).toContainText("Priority: P2 → P1");
  await expect(timeline).toContainText("State: investigating → identified");
  await expect(update.getByLabel("Update", { exact: true })).toHaveValue("");
  // A private note, then a public update: monitoring cannot go back to identified, so the state list
  // offers only what the API accepts.
  await expect(update.getByLabel("Show on status pages")).not.toBeChecked();
  await update
    .getByLabel("Update", { exact: true })
    .fill("Internal: the certificate of pay-gw-3 is being renewed by hand.");
  await update.getByRole("button", { name: "Post update" }).click();
  await expect(timeline).toContainText("pay-gw-3");
  // the form is emptied once the update is stored
  await expect(update.getByLabel("Update", { exact: true })).toHaveValue("");
  await update.getByLabel("Update", { exact: true }).fill("Certificate renewed; watching the error rate.");
  await update.getByLabel("New state").selectOption("monitoring");
  await update.getByLabel("Show on status pages").check();
  await update.getByRole("button", { name: "Post update" }).click();
  await expect(page.getByTestId("incident-state")).toHaveText("Monitoring");
  await expect(update.getByLabel("New state").locator("option")).toHaveText([
    "keep monitoring",
    "Investigating",
    "Resolved",
  ]);
  // The first message of the bracket to ring 1, with the time of the next update.
  const tell = page.getByRole("form", { name: "Tell stakeholders" });
  await tell.getByLabel("Text", { exact: true }).fill("Card payments fail for some customers; a fix is out.");
  await tell.getByRole("button", { name: "Send to the ring" }).click();
  const told = page.getByRole("region", { name: "Stakeholder messages" });
  await expect(told).toContainText("1: Product management");
  await expect(told).toContainText("first");
  // who it reached: the ring's group and its channel
  await expect(told).toContainText("PMs, #pm-incidents");
  await shot(page, "incident-page");

  // The status page, public: a browser with no session.
  const r = await request.post(`${s.baseUrl}/api/v1/status-pages`, {
    headers: { authorization: `Bearer ${s.token}` },
    data: {
      slug: "shop-status",
      name: "Shop status",
      components: [{ name: "Checkout", service: "checkout" }],
    },
  });
  expect([201, 409]).toContain(r.status());
  const anon = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const pub = await anon.newPage();
  await pub.goto(`${s.baseUrl}/status/shop-status`);
  await expect(pub.getByRole("heading", { name: "Shop status", level: 1 })).toBeVisible();
  await expect(pub.getByRole("status")).toHaveText("Some systems have a major outage");
  await expect(pub.getByRole("article")).toContainText("Certificate renewed");
  await expect(pub.locator("body")).not.toContainText("pay-gw-3");
  await shot(pub, "status-page-desktop");
  // Readable in both colour schemes: axe finds no serious violation (the banner's contrast included).
  for (const scheme of ["light", "dark"] as const) {
    await pub.emulateMedia({ colorScheme: scheme });
    const axe = await new AxeBuilder({ page: pub }).analyze();
    const serious = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(
      serious.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`)),
      scheme,
    ).toEqual([]);
  }
  await pub.emulateMedia({ colorScheme: "light" });
  await pub.setViewportSize({ width: 390, height: 844 });
  await shot(pub, "status-page-phone");
  await anon.close();

  // Resolve: the time to recover shows.
  await update.getByLabel("Update", { exact: true }).fill("Payments work again.");
  await update.getByLabel("New state").selectOption("resolved");
  await update.getByLabel("Show on status pages").check();
  await update.getByRole("button", { name: "Post update" }).click();
  await expect(page.getByTestId("incident-state")).toHaveText("Resolved");
  const got = await apiGet<{ ttrMinutes: number; state: string }>(request, s, `/api/v1/incidents/${id}`);
  expect(got.state).toBe("resolved");
  await expect(page.getByTestId("incident-ttr")).toHaveText(/min$/);
  await page.getByRole("link", { name: "Incidents" }).first().click();
  await page.getByLabel("Incident state").selectOption("all");
  await expect(page.getByTestId("incident-title").first()).toBeVisible();
  await shot(page, "incidents-list");
});

test("incident page: an update records what happened earlier, never in the future", async ({
  page,
  request,
}) => {
  const s = await waitState();
  const auth = { authorization: `Bearer ${s.token}` };
  const startedMs = Date.now() - 40 * 60_000;
  const opened = await request.post(`${s.baseUrl}/api/v1/incidents`, {
    headers: auth,
    data: {
      title: "Search answers slowly",
      services: ["checkout"],
      startedAt: new Date(startedMs).toISOString(),
      at: new Date(startedMs + 5 * 60_000).toISOString(),
    },
  });
  expect(opened.status()).toBe(201);
  const id = ((await opened.json()) as { id: string }).id;
  await signIn(page, s);
  await page.goto(`${s.baseUrl}/incidents/${id}`);
  const update = page.getByRole("form", { name: "Post an update" });
  // the browser's local time of a moment, as the datetime-local field holds it
  const local = (ms: number) =>
    page.evaluate((t) => {
      const d = new Date(t);
      const p = (n: number) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
    }, ms);
  await update.getByLabel("Update", { exact: true }).fill("The search cluster lost a node.");
  await update.getByLabel("Happened at").fill(await local(Date.now() + 2 * 60 * 60_000));
  await update.getByRole("button", { name: "Post update" }).click();
  await expect(update.locator(".field-error").first()).toContainText("future");
  const earlier = Math.floor((startedMs + 20 * 60_000) / 60_000) * 60_000;
  await update.getByLabel("Happened at").fill(await local(earlier));
  await update.getByRole("button", { name: "Post update" }).click();
  await expect(page.getByTestId("incident-timeline")).toContainText("The search cluster lost a node.");
  await expect(update.getByLabel("Happened at")).toHaveValue("");
  const inc = await apiGet<{ timeline: { kind: string; at: string; message: string | null }[] }>(
    request,
    s,
    `/api/v1/incidents/${id}`,
  );
  const note = inc.timeline.find((e) => e.message === "The search cluster lost a node.");
  expect(note?.at).toBe(new Date(earlier).toISOString());
});
