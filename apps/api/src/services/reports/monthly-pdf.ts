import { periodOutcome, type DepletionRow } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { periodAt } from "@burnrate/slo-core";
import PDFDocument from "pdfkit";
import { depletionRows } from "./periods";

/** Lines of the SLO table that fit on one A4 page under the summary; the rest are counted on the last line. */
const MAX_LINES = 34;
const PERCENT = 100;

/** [start, end) of a "YYYY-MM" month in UTC. */
export function monthSpan(month: string): { startMs: number; endMs: number } {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return { startMs: Date.UTC(y, m - 1, 1), endMs: Date.UTC(y, m, 1) };
}

export interface MonthlyTeamPage {
  team: { slug: string; name: string };
  rows: DepletionRow[];
}

/**
 * Each team's SLOs × regions judged over the budget period that holds the month's last instant (a calendar
 * month SLO: that month; a rolling one: its window ending then), as the indicators report computes them.
 */
export async function monthlyReport(deps: {
  db: Db;
  month: string;
  nowMs: number;
}): Promise<MonthlyTeamPage[]> {
  const span = monthSpan(deps.month);
  const at = Math.min(deps.nowMs, span.endMs - 1);
  const teams = await deps.db.team.findMany({ orderBy: { slug: "asc" }, select: { slug: true, name: true } });
  const pages: MonthlyTeamPage[] = [];
  for (const team of teams) {
    const rows = await depletionRows({
      db: deps.db,
      filter: { team: team.slug },
      periodsOf: (model) => [periodAt(model.window, at)],
      nowMs: Math.min(deps.nowMs, span.endMs),
    });
    pages.push({ team, rows });
  }
  return pages;
}

const pct = (v: number | null, digits = 1) => (v === null ? "—" : `${(v * PERCENT).toFixed(digits)}%`);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * One SLO line of the monthly PDF: the outcome says what happened in the same words as the periods grid, so a
 * rolling window that ran out and recovered reads "ran out, recovered" beside its ran-out date, never
 * "fulfilled" beside it.
 */
export function monthlyLine(
  r: Pick<
    DepletionRow,
    | "name"
    | "service"
    | "region"
    | "objectivePercent"
    | "remainingAtEnd"
    | "adherence"
    | "exhausted"
    | "exhaustedOn"
    | "exhaustedAt"
  >,
): string[] {
  return [
    r.name,
    r.service,
    r.region,
    `${r.objectivePercent}%`,
    pct(r.remainingAtEnd),
    periodOutcome(r),
    r.exhaustedOn ?? (r.exhaustedAt === null ? "—" : day(r.exhaustedAt)),
  ];
}

/** The monthly report as a PDF: one A4 page per team (a team without SLOs gets a page saying so). */
export function monthlyPdf(month: string, pages: MonthlyTeamPage[], generatedAtMs: number): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margin: 40,
    autoFirstPage: false,
    info: { Title: `Burnrate monthly SLO report ${month}`, Producer: "Burnrate" },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const cols = [
    { key: "SLO", x: 40, w: 128 },
    { key: "Service", x: 170, w: 72 },
    { key: "Region", x: 244, w: 54 },
    { key: "Objective", x: 300, w: 48 },
    { key: "Budget left", x: 350, w: 54 },
    { key: "Outcome", x: 406, w: 92 },
    { key: "Ran out on", x: 500, w: 55 },
  ];
  const text = (s: string, x: number, y: number, w: number) =>
    doc.text(s, x, y, { width: w, height: 12, lineBreak: false, ellipsis: true });
  if (pages.length === 0) {
    doc.addPage();
    doc.fontSize(16).text(`Monthly SLO report — ${month}`, 40, 40);
    doc.fontSize(10).text("No teams yet.", 40, 70);
  }
  for (const page of pages) {
    doc.addPage();
    const rows = page.rows;
    const broken = rows.filter((r) => r.adherence === "broken").length;
    const fulfilled = rows.filter((r) => r.adherence === "fulfilled").length;
    const exhausted = rows.filter((r) => r.exhausted).length;
    doc.font("Helvetica-Bold").fontSize(18);
    text(`${page.team.name}`, 40, 40, 515);
    doc.font("Helvetica").fontSize(11).fillColor("#444");
    text(`Monthly SLO report — ${month} (team ${page.team.slug})`, 40, 64, 515);
    doc.fillColor("#000").fontSize(10);
    text(
      `${rows.length} SLO × region · ${fulfilled} fulfilled · ${broken} broken · ${exhausted} ran out of budget early`,
      40,
      90,
      515,
    );
    let y = 120;
    doc.font("Helvetica-Bold").fontSize(9);
    for (const c of cols) text(c.key, c.x, y, c.w);
    doc
      .moveTo(40, y + 13)
      .lineTo(555, y + 13)
      .strokeColor("#999")
      .stroke();
    doc.font("Helvetica").fontSize(9);
    y += 18;
    if (rows.length === 0) text("No SLO with data in this month.", 40, y, 515);
    const shown = rows.length > MAX_LINES ? rows.slice(0, MAX_LINES - 1) : rows;
    for (const r of shown) {
      const values = monthlyLine(r);
      doc.fillColor(r.adherence === "broken" ? "#b00020" : "#000");
      cols.forEach((c, i) => text(values[i]!, c.x, y, c.w));
      y += 17;
    }
    doc.fillColor("#000");
    if (shown.length < rows.length) text(`… and ${rows.length - shown.length} more`, 40, y, 515);
    doc.fontSize(8).fillColor("#666");
    text(
      `Budget left at the end of each SLO's period holding ${day(monthSpan(month).endMs - 1)}. Generated ${new Date(generatedAtMs).toISOString()}.`,
      40,
      780,
      515,
    );
    text("Burnrate reports on services and on teams' practice, never on individuals.", 40, 792, 515);
    doc.fillColor("#000");
  }
  doc.end();
  return done;
}
