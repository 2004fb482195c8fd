import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  test as base,
  expect,
  type APIRequestContext,
  type BrowserContext,
  type Page,
} from "@playwright/test";

export interface StackRef {
  baseUrl: string;
  admin: { email: string; password: string };
  token: string;
}
export interface State extends StackRef {
  sloId: string;
  slackUrl: string;
  channel: string;
  /** The history stack; its API runs on the fixed clock `nowMs` (seed-history.ts historyNow). */
  history: StackRef & { bookSloId: string; sloIds: Record<string, string>; nowMs: number };
  load: StackRef;
  /** The local OpenID Connect provider of the live stack and its people. */
  sso: { issuer: string; accounts: { email: string; name: string; groups: string[] }[] };
}
/**
 * When the suite runs on a shifted clock (`faketime`, see the README), the test runner, the servers and the
 * database clients see that time but the browser runs unfaked (playwright.config.ts keeps LD_PRELOAD away from it),
 * so each browser context gets the runner's clock, flowing from there.
 */
export const shiftedClock = Boolean(process.env.FAKETIME);
/**
 * How far the suite's clock is from the real one: libfaketime's relative offset in seconds ("-23323", "+3600"),
 * as scripts/test.mjs sets it.
 */
export function clockOffsetMs(faketime = process.env.FAKETIME): number {
  if (!faketime) return 0;
  const m = /^([+-]\d+(?:\.\d+)?)$/.exec(faketime.trim());
  if (!m)
    throw new Error(`FAKETIME=${faketime}: the browser tests need a relative offset in seconds, e.g. -3600`);
  return Number(m[1]) * 1000;
}
/**
 * `clock.install({ time })` with the runner on a shifted clock, as measured with Debian's Chromium: a runner
 * ahead of the real time gets `time` as given, but a runner behind it gets the real time plus (time − the
 * runner's Date.now()), so `time: Date.now()` would leave the browser on the real clock. Adding a negative
 * shift once puts the browser on the suite's clock either way (clock.spec.ts checks it against the API's).
 */
export async function syncClock(context: BrowserContext) {
  if (shiftedClock) await context.clock.install({ time: Date.now() + Math.min(0, clockOffsetMs()) });
}

/**
 * Playwright's `test`, with each context on the suite's clock. The stacks' seeding is waited for once per worker,
 * outside any one test's time limit (it takes longer on a loaded machine than a test may).
 */
export const test = base.extend<object, { e2eState: State }>({
  e2eState: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => use(await waitState(240_000)),
    { scope: "worker", auto: true, timeout: 250_000 },
  ],
  context: async ({ context }, use) => {
    await syncClock(context);
    await use(context);
  },
});
export { expect };

const statePath = path.join(import.meta.dirname, ".state.json");
export const shots = path.join(import.meta.dirname, "../../test-results/screenshots");

/** The e2e server writes its state once every stack is seeded; the tests wait for it. */
export async function waitState(timeoutMs = 170_000): Promise<State> {
  const t0 = Date.now();
  while (!existsSync(statePath)) {
    if (Date.now() - t0 > timeoutMs) throw new Error("tests/e2e/.state.json never appeared");
    await new Promise((r) => setTimeout(r, 500));
  }
  return JSON.parse(readFileSync(statePath, "utf8")) as State;
}

type Cookies = Awaited<ReturnType<BrowserContext["cookies"]>>;
/** Session cookies per stack: each test's fresh context reuses the session (login is rate-limited per IP). */
const sessions = new Map<string, Cookies>();

/** Signs in to one stack (its own origin, so its own session cookie). A stack on a fixed clock (`nowMs`) gets
 * the same clock in the page (Date only; timers keep running), so the page and the API agree on "now". */
export async function signIn(page: Page, stack?: StackRef & { nowMs?: number }) {
  const s: StackRef & { nowMs?: number } = stack ?? (await waitState());
  if (s.nowMs !== undefined) await page.clock.setFixedTime(s.nowMs);
  const saved = sessions.get(s.baseUrl);
  if (saved) {
    await page.context().addCookies(saved);
    await page.goto(`${s.baseUrl}/`);
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    return;
  }
  await page.goto(`${s.baseUrl}/`);
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill(s.admin.email);
  await page.getByLabel("Password").fill(s.admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible({ timeout: 20_000 });
  sessions.set(s.baseUrl, await page.context().cookies(s.baseUrl));
}

export async function shot(page: Page, name: string) {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/** GET on a stack's API with its admin token. */
export async function apiGet<T>(request: APIRequestContext, stack: StackRef, url: string): Promise<T> {
  const r = await request.get(`${stack.baseUrl}${url}`, {
    headers: { authorization: `Bearer ${stack.token}` },
  });
  expect(r.status(), url).toBe(200);
  return (await r.json()) as T;
}

export const pct = (x: number | null, digits = 1) =>
  x === null ? "no data" : `${(x * 100).toFixed(digits)}%`;
