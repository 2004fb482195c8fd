import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext, type BrowserContext, type Page } from "@playwright/test";

export interface StackRef {
  baseUrl: string;
  admin: { email: string; password: string };
  token: string;
}
export interface State extends StackRef {
  sloId: string;
  slackUrl: string;
  channel: string;
  history: StackRef & { bookSloId: string; sloIds: Record<string, string> };
  load: StackRef;
}
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

/** Signs in to one stack (its own origin, so its own session cookie). */
export async function signIn(page: Page, stack?: StackRef) {
  const s = stack ?? (await waitState());
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
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
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
