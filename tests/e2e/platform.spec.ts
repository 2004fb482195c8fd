import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { CDPSession, Page } from "@playwright/test";
import { expect, signIn, syncClock, test, waitState } from "./helpers";
import { everyPage, openLoaded } from "./pages";

/** The most compressed JavaScript the first load of the overview may move. */
const FIRST_LOAD_JS_BUDGET = 300 * 1024;

interface Seen {
  url: string;
  mime: string;
  encoding: string | undefined;
  status: number;
  fromCache: boolean;
  bytes: number;
}
/** Every response of a page as the network saw it (CDP): its bytes on the wire and whether it came from the cache. */
async function recordNetwork(page: Page): Promise<{ seen: Map<string, Seen>; cdp: CDPSession }> {
  const cdp = await page.context().newCDPSession(page);
  const seen = new Map<string, Seen>();
  const cached = new Set<string>();
  cdp.on("Network.requestServedFromCache", (e: { requestId: string }) => cached.add(e.requestId));
  cdp.on(
    "Network.responseReceived",
    (e: {
      requestId: string;
      response: {
        url: string;
        mimeType: string;
        status: number;
        fromDiskCache?: boolean;
        headers: Record<string, string>;
      };
    }) => {
      const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
      seen.set(e.requestId, {
        url: e.response.url,
        mime: e.response.mimeType,
        encoding: h["content-encoding"],
        status: e.response.status,
        fromCache: Boolean(e.response.fromDiskCache) || cached.has(e.requestId),
        bytes: 0,
      });
    },
  );
  cdp.on("Network.loadingFinished", (e: { requestId: string; encodedDataLength: number }) => {
    const r = seen.get(e.requestId);
    if (r) r.bytes = e.encodedDataLength;
  });
  await cdp.send("Network.enable");
  return { seen, cdp };
}

test("the overview's first load moves at most 300 KB of compressed JS; a repeat load revalidates nothing hashed", async ({
  page,
  browser,
}) => {
  const s = await waitState();
  await signIn(page);
  // a browser with nothing cached, signed in
  const context = await browser.newContext({ storageState: await page.context().storageState() });
  await syncClock(context);
  const fresh = await context.newPage();
  const first = await recordNetwork(fresh);
  await openLoaded(fresh, s.baseUrl, "/");
  await expect(fresh.getByTestId("slo-row").first()).toBeVisible();
  const js = [...first.seen.values()].filter((r) => r.mime.includes("javascript"));
  expect(js.length).toBeGreaterThan(0);
  for (const r of js) {
    expect(r.url, "hashed").toMatch(/\/assets\/[\w-]+-[\w-]{8}\.js$/);
    expect(r.encoding, r.url).toBe("br");
  }
  // the charting library is not part of the overview
  expect(js.map((r) => r.url).join(" ")).not.toMatch(/recharts-/);
  const jsBytes = js.reduce((a, r) => a + r.bytes, 0);
  const allBytes = [...first.seen.values()].reduce((a, r) => a + r.bytes, 0);
  const out = path.join(import.meta.dirname, "../../test-results");
  mkdirSync(out, { recursive: true });
  writeFileSync(
    path.join(out, "overview-transfer.json"),
    JSON.stringify({ jsFiles: js.length, jsBytes, allBytes }, null, 2),
  );
  expect(jsBytes).toBeLessThanOrEqual(FIRST_LOAD_JS_BUDGET);

  // a repeat load: every hashed file from the cache, none asked again (no 304s)
  // (from another page, as a person comes back to the overview)
  await openLoaded(fresh, s.baseUrl, "/alerts");
  first.seen.clear();
  await openLoaded(fresh, s.baseUrl, "/");
  await expect(fresh.getByTestId("slo-row").first()).toBeVisible();
  const assets = [...first.seen.values()].filter((r) => r.url.includes("/assets/"));
  expect(assets.length).toBeGreaterThan(0);
  const fromNetwork = assets.filter((r) => !r.fromCache || r.status === 304);
  expect(fromNetwork.map((r) => `${r.status} ${r.url}`)).toEqual([]);
  await context.close();
});

test("no source map is built or served", async ({ page, request }) => {
  const s = await waitState();
  await signIn(page);
  const scripts = await page
    .locator("script[src]")
    .evaluateAll((els) => els.map((e) => e.getAttribute("src")!));
  expect(scripts.length).toBeGreaterThan(0);
  for (const src of scripts) {
    const res = await request.get(`${s.baseUrl}${src}`);
    expect(res.status()).toBe(200);
    expect(res.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(await res.text()).not.toContain("sourceMappingURL");
    expect((await request.get(`${s.baseUrl}${src}.map`)).status()).toBe(404);
  }
  const html = await request.get(`${s.baseUrl}/`);
  expect(html.headers()["cache-control"]).toBe("no-cache");
});

test("while a page's code loads, the shell stays and the page shows a busy loading sign", async ({
  page,
}) => {
  await signIn(page);
  // hold the indicators page's code until the sign has been seen
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(/\/assets\/indicators-page-[^/]*\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Indicators" }).click();
  const loading = page.getByTestId("page-loading");
  await expect(loading).toBeVisible();
  await expect(loading).toHaveAttribute("aria-busy", "true");
  await expect(loading.getByRole("status")).toHaveText("Loading the page…");
  // the shell around it is still there, and the previous page is gone
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Overview" })).toHaveCount(0);
  release();
  await expect(page.getByRole("heading", { name: "Reliability indicators" })).toBeVisible();
  await expect(loading).toHaveCount(0);
});

test("every page has its own title", async ({ page }) => {
  const s = await waitState();
  await signIn(page);
  for (const p of everyPage(s)) {
    await openLoaded(page, s.baseUrl, p.path);
    await expect(page, p.path).toHaveTitle(p.title);
  }
});

test("a skip link leads to the main content, and the keyboard reaches every link of the navigation", async ({
  page,
}) => {
  const s = await waitState();
  await signIn(page);
  await openLoaded(page, s.baseUrl, "/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to main content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
  // from the top, Tab reaches each link of the navigation in turn
  await openLoaded(page, s.baseUrl, "/");
  const nav = page.getByRole("navigation", { name: "Main" }).getByRole("link");
  const names = await nav.allInnerTexts();
  const reached: string[] = [];
  for (let i = 0; i < 20 && reached.length < names.length; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() =>
      document.activeElement?.closest('nav[aria-label="Main"]') ? document.activeElement.textContent : null,
    );
    if (focused) reached.push(focused.trim());
  }
  expect(reached).toEqual(names.map((n) => n.trim()));
  // and Enter follows the focused link
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/settings$/);
});

test("an unknown team, service, region, SLO or address is 'not found', never a page that pretends", async ({
  page,
}) => {
  const s = await waitState();
  await signIn(page);
  for (const p of [
    "/teams/nope",
    "/services/nope",
    "/regions/nope",
    "/slos/nope",
    "/slos/00000000-0000-4000-8000-000000000000",
    "/nope/at/all",
  ]) {
    await openLoaded(page, s.baseUrl, p);
    await expect(page.getByRole("heading", { name: "Not found" }), p).toBeVisible();
    await expect(page, p).toHaveTitle("Not found · Burnrate");
    await expect(page.locator("main"), p).not.toContainText("reachable");
    await expect(page.getByRole("link", { name: "Back to the overview" })).toBeVisible();
  }
});

test("a failed request says so in plain words, and Retry loads the page", async ({ page }) => {
  const s = await waitState();
  await signIn(page);
  // the API answers 503 until told otherwise; the page asks a few times by itself, then shows the error
  let failing = true;
  await page.route("**/api/v1/reports/overview*", async (route) => {
    if (!failing) return route.continue();
    return route.fulfill({
      status: 503,
      contentType: "application/json",
      body: JSON.stringify({ error: { code: "unavailable", message: "the database is busy" } }),
    });
  });
  await page.goto(`${s.baseUrl}/`);
  const box = page.getByRole("alert").filter({ hasText: "Could not load the overview" });
  await expect(box).toContainText("the database is busy", { timeout: 30_000 });
  await expect(box).not.toContainText("reachable");
  failing = false;
  await box.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByTestId("slo-row").first()).toBeVisible();
});

test("dark mode follows the system, and the toggle's choice is kept across loads", async ({ page }) => {
  const s = await waitState();
  await page.emulateMedia({ colorScheme: "dark" });
  await signIn(page);
  const bg = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const toggle = page.getByRole("button", { name: "Dark mode" });
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  const dark = await bg();
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  const light = await bg();
  expect(light).not.toBe(dark);
  await page.reload();
  await expect(page.getByRole("button", { name: "Dark mode" })).toHaveAttribute("aria-pressed", "false");
  expect(await bg()).toBe(light);
  await page.evaluate(() => localStorage.clear());
  await page.emulateMedia({ colorScheme: "light" });
  await openLoaded(page, s.baseUrl, "/");
  expect(await bg()).toBe(light);
});
