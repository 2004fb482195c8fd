import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, signIn, test, waitState, type State } from "./helpers";
import { everyPage, openLoaded } from "./pages";

/** Axe's serious and critical violations of the page as it is now, as "rule: target" lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")} (${n.failureSummary ?? ""})`));
}

// One test per page and theme (the page list needs no stack: its ids come from the state once it is ready).
const PATHS = ["/login", ...everyPage({ sloId: ":slo" } as State).map((p) => p.path)];
for (const scheme of ["light", "dark"] as const) {
  for (const listed of PATHS) {
    test(`axe finds no serious or critical violation on ${listed} in ${scheme} mode`, async ({ page }) => {
      const s = await waitState();
      const path = listed.replace(":slo", s.sloId);
      await page.emulateMedia({ colorScheme: scheme });
      if (path === "/login") {
        await page.goto(`${s.baseUrl}/login`);
        await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
      } else {
        await signIn(page);
        await openLoaded(page, s.baseUrl, path);
      }
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
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

  await page.setViewportSize({ width: 390, height: 844 });
  const wide: Record<string, { scroll: number; client: number }> = {};
  for (const p of [...everyPage(s), { path: `/teams/${long}` }, { path: `/services/${long}` }]) {
    await openLoaded(page, s.baseUrl, p.path);
    const w = await width();
    if (w.scroll > w.client) wide[p.path] = w;
  }
  expect(wide).toEqual({});
});
