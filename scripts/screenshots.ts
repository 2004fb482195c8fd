/**
 * Screenshots of every page of a running Burnrate (e.g. `npm start`), in light and dark mode at 1440×900 and on
 * a phone (390×844), for the README:
 *   node --import tsx scripts/screenshots.ts [--url http://localhost:8080] [--out docs/screenshots] [--pages a,b]
 * (`--pages periods,indicators`: only those pages, e.g. from another instance with a longer history).
 * Signs in with BURNRATE_ADMIN_EMAIL / BURNRATE_ADMIN_PASSWORD (else .data/admin-password). The pages with an
 * id (an SLO, a team, a service, a region) are the first of each that the overview lists, a firing one first.
 * Writes <page>-light.png, <page>-dark.png and <page>-phone.png, and decision-panel-<mode>.png: the indicators
 * page's opened "what to decide" panel of SLO adherence.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Page } from "@playwright/test";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://localhost:8080" },
    out: { type: "string", default: "docs/screenshots" },
    pages: { type: "string" },
  },
});
const root = path.resolve(import.meta.dirname, "..");
const pwFile = path.join(root, ".data/admin-password");
const email = process.env.BURNRATE_ADMIN_EMAIL ?? "admin@burnrate.local";
const password =
  process.env.BURNRATE_ADMIN_PASSWORD ?? (existsSync(pwFile) ? readFileSync(pwFile, "utf8").trim() : "");
const out = path.resolve(root, values.out!);
mkdirSync(out, { recursive: true });
const base = values.url!;

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
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const page = await context.newPage();
await page.goto(`${base}/login`);
await page.getByLabel("Email").fill(email);
await page.getByLabel("Password").fill(password);
await page.getByRole("button", { name: "Sign in" }).click();
await page.getByRole("heading", { name: "Overview" }).waitFor();

interface Row {
  sloId: string;
  team: string;
  service: string;
  region: string | null;
  firing: boolean;
}
const overview = (await (await page.request.get(`${base}/api/v1/reports/overview`)).json()) as {
  rows: Row[];
};
const first = [...overview.rows].sort((a, b) => Number(b.firing) - Number(a.firing))[0];
const pages: [string, string][] = [
  ["overview", "/"],
  ["alerts", "/alerts"],
  ["oncall", "/oncall"],
  ["periods", "/periods"],
  ["indicators", "/indicators"],
  ["slo-new", "/slos/new"],
  ["settings", "/settings"],
  ["settings-slack", "/settings/slack"],
  ["settings-receivers", "/settings/receivers"],
  ["settings-stakeholders", "/settings/stakeholders"],
  ["not-found", "/teams/no-such-team"],
];
if (first) {
  const region = first.region ? `?region=${encodeURIComponent(first.region)}` : "";
  pages.push(
    ["slo", `/slos/${first.sloId}${region}`],
    ["slo-edit", `/slos/${first.sloId}/edit`],
    ["team", `/teams/${first.team}`],
    ["policy", `/teams/${first.team}/policy`],
    // this week so far: a demo holds a week of history, so the last whole week has little or none
    ["newsletter", `/teams/${first.team}/newsletter?week=${new Date().toISOString().slice(0, 10)}`],
    ["service", `/services/${first.service}`],
  );
  if (first.region) pages.push(["region", `/regions/${first.region}`]);
}
// the practice around the SLOs: incidents, SLAs and a public status page (the demo seeds one of each)
const listed = async (p: string) => {
  const body = (await (await page.request.get(`${base}${p}`)).json()) as unknown;
  return (Array.isArray(body) ? body : ((body as { items?: unknown[] }).items ?? [])) as { id: string }[];
};
pages.push(
  ["incidents", "/incidents?state=all"],
  ["slas", "/slas"],
  ["sla-new", "/slas/new"],
  ["adoption", "/adoption"],
);
const [incident] = await listed("/api/v1/incidents");
if (incident)
  pages.push(
    ["incident", `/incidents/${incident.id}`],
    ["postmortem", `/incidents/${incident.id}/postmortem`],
  );
// the SLA with the most endpoints under it (its page then has the most to show), else the first
const sla = (await listed("/api/v1/slas"))
  .map((x) => x as { id: string; children?: unknown[] })
  .sort((a, b) => (b.children?.length ?? 0) - (a.children?.length ?? 0))[0];
if (sla) pages.push(["sla", `/slas/${sla.id}`]);
const statusPages = (await (await page.request.get(`${base}/api/v1/status-pages`)).json()) as
  { slug: string }[] | { items?: { slug: string }[] };
const statusPage = (Array.isArray(statusPages) ? statusPages : (statusPages.items ?? []))[0];
if (statusPage) pages.push(["status-page", `/status/${statusPage.slug}`]);

/** Opens a page and waits until it has loaded and its charts have drawn. */
async function open(p: Page, url: string) {
  await p.goto(`${base}${url}`);
  await p.locator("main").waitFor();
  await p.waitForFunction(() => !/Loading .*…/.test(document.body.innerText), undefined, { timeout: 30_000 });
  await p.waitForTimeout(800);
}

const only = values.pages?.split(",");
const chosen = only ? pages.filter(([name]) => only.includes(name)) : pages;

const modes = [
  { mode: "light", scheme: "light", viewport: { width: 1440, height: 900 } },
  { mode: "dark", scheme: "dark", viewport: { width: 1440, height: 900 } },
  { mode: "phone", scheme: "light", viewport: { width: 390, height: 844 } },
] as const;
for (const m of modes) {
  await page.emulateMedia({ colorScheme: m.scheme });
  await page.setViewportSize(m.viewport);
  for (const [name, url] of chosen) {
    await open(page, url);
    const file = path.join(out, `${name}-${m.mode}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log("wrote", path.relative(root, file));
  }
  // The "what to decide" panel of the SLO adherence indicator, opened by its link (it is folded until then).
  if (!only || only.includes("decision-panel")) {
    await open(page, "/indicators");
    await page.locator('#adherence a[href="#adherence-decide"]').click();
    const file = path.join(out, `decision-panel-${m.mode}.png`);
    await page.locator("#adherence-decide").screenshot({ path: file });
    console.log("wrote", path.relative(root, file));
  }
}
await browser.close();
