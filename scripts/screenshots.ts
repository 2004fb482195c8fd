/**
 * Screenshots of a running Burnrate (e.g. `npm start`) for the README:
 *   node --import tsx scripts/screenshots.ts [--url http://localhost:8080] [--out docs/screenshots]
 * Signs in with BURNRATE_ADMIN_EMAIL / BURNRATE_ADMIN_PASSWORD (else .data/admin-password).
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://localhost:8080" },
    out: { type: "string", default: "docs/screenshots" },
  },
});
const root = path.resolve(import.meta.dirname, "..");
const pwFile = path.join(root, ".data/admin-password");
const email = process.env.BURNRATE_ADMIN_EMAIL ?? "admin@burnrate.local";
const password =
  process.env.BURNRATE_ADMIN_PASSWORD ?? (existsSync(pwFile) ? readFileSync(pwFile, "utf8").trim() : "");
const out = path.resolve(root, values.out!);
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
  ],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await page.goto(`${values.url}/login`);
await page.getByLabel("Email").fill(email);
await page.getByLabel("Password").fill(password);
await page.getByRole("button", { name: "Sign in" }).click();
await page.getByRole("heading", { name: "Overview" }).waitFor();
await page.waitForFunction(() => !document.body.innerText.includes("…"), undefined, { timeout: 30_000 });
await page.screenshot({ path: path.join(out, "demo-overview.png"), fullPage: true });
const links = page.locator("table.grid a");
const n = await links.count();
for (let i = 0; i < Math.min(n, 7); i++) {
  const name = (await links.nth(i).innerText()).trim();
  await links.nth(i).click();
  await page
    .getByRole("figure", { name: "Burn rate" })
    .waitFor({ timeout: 30_000 })
    .catch(() => undefined);
  await page.waitForTimeout(800);
  const file = `demo-slo-${name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")}.png`;
  await page.screenshot({ path: path.join(out, file), fullPage: true });
  console.log("wrote", path.join(values.out!, file));
  await page.goBack();
  await page.getByRole("heading", { name: "Overview" }).waitFor();
}
await browser.close();
