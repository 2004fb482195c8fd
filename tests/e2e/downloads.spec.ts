import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import type {
  IncidentResponse,
  IndicatorsResponse,
  OverviewResponse,
  PeriodsResponse,
  SlaResponse,
  SlaStatusResponse,
} from "../../packages/contracts/src/index.ts";
import { apiGet, expect as baseExpect, signIn, test, waitState } from "./helpers";
import { BOOK_SLA_NAME } from "./seed-sla";

const expect = baseExpect.configure({ timeout: 15_000 });

/** Clicks a download link and returns the file's name and text (the browser's own session does the GET). */
async function download(page: Page, link: ReturnType<Page["getByRole"]>) {
  const [file] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const at = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(at), path: at };
}
/** CSV records (none of these reports' fields holds a line break) after the header. */
const records = (csv: string) => csv.split(/\r?\n/).filter(Boolean);

test("every report table downloads as CSV from its page, and the monthly report as a PDF", async ({
  page,
  request,
}) => {
  const s = await waitState();
  const h = s.history;
  await signIn(page, h);

  // overview: one line per SLO × region
  const overview = await apiGet<OverviewResponse>(request, h, "/api/v1/reports/overview");
  await page.goto(`${h.baseUrl}/`);
  let got = await download(page, page.getByRole("link", { name: "Download CSV" }));
  expect(got.name).toBe("overview.csv");
  let lines = records(got.bytes.toString("utf8"));
  expect(lines[0]).toMatch(/^sloId,name,service,team,/);
  expect(lines).toHaveLength(1 + overview.rows.length);

  // periods grid: one line per SLO × region × period, for the periods chosen on the page
  const periods = await apiGet<PeriodsResponse>(request, h, "/api/v1/reports/periods?periods=3");
  await page.goto(`${h.baseUrl}/periods?periods=3`);
  got = await download(page, page.getByRole("link", { name: "Download CSV" }));
  expect(got.name).toBe("periods.csv");
  lines = records(got.bytes.toString("utf8"));
  expect(lines[0]).toContain("periodIndex");
  expect(lines).toHaveLength(1 + periods.rows.reduce((a, r) => a + r.cells.length, 0));

  // the monthly PDF of the last whole month: one page per team
  const pdfLink = page.getByRole("link", { name: /^Monthly PDF \(\d{4}-\d{2}\)$/ });
  const month = /\((\d{4}-\d{2})\)/.exec((await pdfLink.textContent())!)![1]!;
  const lastMonth = new Date(h.nowMs);
  lastMonth.setUTCDate(1);
  lastMonth.setUTCMonth(lastMonth.getUTCMonth() - 1);
  expect(month).toBe(lastMonth.toISOString().slice(0, 7));
  got = await download(page, pdfLink);
  expect(got.name).toBe(`burnrate-${month}.pdf`);
  expect(got.bytes.subarray(0, 5).toString()).toBe("%PDF-");
  const teams = await apiGet<unknown[]>(request, h, "/api/v1/teams");
  const info = execFileSync("pdfinfo", [got.path]).toString();
  expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBe(teams.length);

  // indicators: each table's own link (the depletion table here)
  const ind = await apiGet<IndicatorsResponse>(request, h, "/api/v1/reports/indicators");
  await page.goto(`${h.baseUrl}/indicators`);
  got = await download(page, page.locator("#depletion").getByRole("link", { name: "Download CSV" }));
  expect(got.name).toBe("indicators-depletion.csv");
  lines = records(got.bytes.toString("utf8"));
  expect(lines[0]).toContain("averageSpeedPercentPerHour");
  expect(lines).toHaveLength(1 + ind.depletion.length);
  got = await download(page, page.locator("#slowest").getByRole("link", { name: "Download CSV" }));
  expect(records(got.bytes.toString("utf8"))).toHaveLength(1 + ind.slowest.length);

  // SLA adherence: one line per SLA × period
  const slas = await apiGet<SlaResponse[]>(request, h, "/api/v1/slas");
  const book = slas.find((x) => x.name === BOOK_SLA_NAME)!;
  const status = await apiGet<SlaStatusResponse>(request, h, `/api/v1/slas/${book.id}/status?periods=4`);
  await page.goto(`${h.baseUrl}/slas/${book.id}?periods=4`);
  await expect(page.getByRole("heading", { name: BOOK_SLA_NAME })).toBeVisible();
  got = await download(page, page.getByRole("link", { name: "Download CSV" }));
  expect(got.name).toBe(`sla-${book.id}.csv`);
  lines = records(got.bytes.toString("utf8"));
  expect(lines).toHaveLength(1 + (1 + status.children.length) * 4);
  expect(lines.filter((l) => l.startsWith("contractual,"))).toHaveLength(4);

  // incidents: every incident, as the "all" list shows them
  const incidents = await apiGet<IncidentResponse[]>(request, h, "/api/v1/incidents?limit=500");
  await page.goto(`${h.baseUrl}/incidents?state=all`);
  got = await download(page, page.getByRole("link", { name: "Download CSV" }));
  expect(got.name).toBe("incidents.csv");
  lines = records(got.bytes.toString("utf8"));
  expect(lines[0]).toMatch(/^id,number,title,state,/);
  expect(lines).toHaveLength(1 + incidents.length);
});
