import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, signIn, test, waitState } from "./helpers";
import { everyPage, openLoaded } from "./pages";

/** Axe's serious and critical violations of the page as it is now, as "rule: target (why)" lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")} (${n.failureSummary ?? ""})`));
}

/** Every settings section (`/settings/:tab`), the first one included. */
const SETTINGS_TABS = ["services", "regions", "tokens", "silences", "events", "slack"].map(
  (t) => `/settings/${t}`,
);

// One test per theme: it visits every page in one signed-in browser and lists every violation as
// "page: rule: target", so one run names them all (a test per page and theme spent most of its time signing in
// and starting the browser).
for (const scheme of ["light", "dark"] as const) {
  test(`axe finds no serious or critical violation on any page in ${scheme} mode`, async ({ page }) => {
    test.setTimeout(300_000);
    const s = await waitState();
    await page.emulateMedia({ colorScheme: scheme });
    const found: string[] = [];
    // the sign-in page, before signing in
    await page.goto(`${s.baseUrl}/login`);
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    found.push(...(await seriousViolations(page)).map((v) => `/login: ${v}`));
    await signIn(page);
    const paths = [...everyPage(s).map((p) => p.path), ...SETTINGS_TABS];
    for (const path of paths) {
      await openLoaded(page, s.baseUrl, path);
      found.push(...(await seriousViolations(page)).map((v) => `${path}: ${v}`));
    }
    expect(found).toEqual([]);
  });
}

test("at 390×844 no page scrolls sideways, a 63-character slug included", async ({ page, request }) => {
  test.setTimeout(180_000);
  const s = await waitState();
  // a team and service whose slugs are the longest allowed, with an SLO, so the overview lists them
  const long = `a${"very-long-team-name-".repeat(3)}that-fills-63`.slice(0, 63);
  const auth = { authorization: `Bearer ${s.token}` };
  const post = async (url: string, data: object) => {
    const r = await request.post(`${s.baseUrl}${url}`, { headers: auth, data });
    expect([201, 409], `${url}: ${await r.text()}`).toContain(r.status());
  };
  expect(long).toHaveLength(63);
  await post("/api/v1/teams", { slug: long, name: long });
  await post("/api/v1/services", { slug: long, name: long, team: long });
  await post("/api/v1/slos", {
    service: long,
    name: `${long} availability`,
    endpoint: "GET /a-rather-long-endpoint-path/that/goes/on/{id}",
    sli: { type: "availability" },
    objectivePercent: 99.9,
    window: { type: "rolling", days: 28 },
  });
  // a rotation for it, so the on-call timeline and the indicators' rotations table are drawn too
  const member = { email: "width.oncall@example.com", name: "Width", password: "a long password" };
  expect([201, 409]).toContain(
    (await request.post(`${s.baseUrl}/api/v1/users`, { headers: auth, data: member })).status(),
  );
  await post("/api/v1/schedules", {
    name: `${long} rotation`,
    team: long,
    timeZone: "UTC",
    rotation: { periodDays: 1, handoff: "00:00", start: new Date().toISOString().slice(0, 10) },
    positions: ["main"],
    members: [member.email],
  });
  await signIn(page);
  // desktop first: the long names do not stretch the overview
  await openLoaded(page, s.baseUrl, "/");
  await expect(page.getByRole("link", { name: long, exact: true }).first()).toHaveAttribute("title", long);
  const width = () =>
    page.evaluate(() => {
      const el = document.scrollingElement!;
      return { scroll: el.scrollWidth, client: el.clientWidth };
    });
  const desktop = await width();
  expect(desktop.scroll).toBeLessThanOrEqual(desktop.client);
  // the top bar's pickers list the 63-character slug, yet keep their width and cut it with …: one row
  const pickers = page.getByRole("group", { name: "Drill down" }).locator("select");
  await expect(pickers.first().locator("option", { hasText: long })).toHaveCount(1);
  for (const picker of await pickers.all()) {
    expect((await picker.boundingBox())!.width).toBeLessThanOrEqual(120);
    await expect(picker).toHaveCSS("text-overflow", "ellipsis");
  }
  expect((await page.locator("header.topbar").boundingBox())!.height).toBeLessThan(60);
  await openLoaded(page, s.baseUrl, `/teams/${long}`);
  await expect(pickers.first()).toHaveValue(long);
  await expect(pickers.first()).toHaveAttribute("title", long);
  expect((await page.locator("header.topbar").boundingBox())!.height).toBeLessThan(60);

  await page.setViewportSize({ width: 390, height: 844 });
  const wide: Record<string, { scroll: number; client: number }> = {};
  for (const p of [...everyPage(s), { path: `/teams/${long}` }, { path: `/services/${long}` }]) {
    await openLoaded(page, s.baseUrl, p.path);
    const w = await width();
    if (w.scroll > w.client) wide[p.path] = w;
  }
  expect(wide).toEqual({});
});
