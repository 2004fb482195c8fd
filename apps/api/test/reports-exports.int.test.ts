import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeSliMinutes } from "@burnrate/db";
import { DAY_MS, MINUTE_MS } from "@burnrate/slo-core";
import { call, startStack, type Stack } from "./harness";
import { inkedRows, readPng } from "./png-read";

/**
 * Report exports: the periods grid and the indicators as CSV (parsed back with csv-parse, they equal the JSON
 * answers), and the monthly PDF (one page per team, rendered to PNG by pdftoppm).
 */
const NOW = Date.UTC(2025, 2, 20, 12, 0, 0);
const FEB = Date.UTC(2025, 1, 1);

/** A CSV field back to the JSON value it was written from (numbers, booleans, null). */
function typed(v: string, json: unknown): unknown {
  if (json === null) return v === "" ? null : v;
  if (typeof json === "number") return Number(v);
  if (typeof json === "boolean") return v === "true";
  return v;
}

describe("report exports", () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ now: () => NOW });
    const region = (await stack.db.region.create({ data: { slug: "prod-eu", name: "prod-eu" } })).id;
    await call(stack, "POST", "/api/v1/teams", { slug: "identity", name: "Identity" });
    await call(stack, "POST", "/api/v1/teams", { slug: "payments", name: "Payments" });
    await call(stack, "POST", "/api/v1/teams", { slug: "search", name: "Search" });
    await call(stack, "POST", "/api/v1/services", { slug: "affil", name: "Affiliations", team: "identity" });
    await call(stack, "POST", "/api/v1/services", { slug: "checkout", name: "Checkout", team: "payments" });
    const slos = [
      // a name a CSV writer must quote (comma, quote, line break)
      { service: "affil", name: 'Affil, "login"\nflow', objectivePercent: 99.5, month: true },
      { service: "checkout", name: "Cart availability", objectivePercent: 99.9, month: false },
    ];
    for (const [i, s] of slos.entries()) {
      const r = await call(stack, "POST", "/api/v1/slos", {
        service: s.service,
        name: s.name,
        endpoint: `GET /e${i}`,
        sli: { type: "availability" },
        objectivePercent: s.objectivePercent,
        window: s.month ? { type: "calendar", period: "month" } : { type: "rolling", days: 28 },
      });
      expect(r.status).toBe(201);
      const mins = [];
      for (let t = FEB; t < NOW; t += 10 * MINUTE_MS) {
        const bad = (t - FEB) % (3 * DAY_MS) < 4 * 60 * MINUTE_MS ? 1 + i : 0;
        mins.push({
          sloId: r.body!.id as string,
          regionId: region,
          minuteMs: t,
          good: 100 - bad,
          total: 100,
        });
      }
      await storeSliMinutes(stack.db, mins);
    }
  });
  afterAll(async () => stack?.stop());

  const get = (url: string, accept?: string) =>
    stack.app.inject({
      method: "GET",
      url,
      headers: { authorization: `Bearer ${stack.token}`, ...(accept ? { accept } : {}) },
    });

  it("the periods grid as CSV parses back to the JSON values", async () => {
    const json = await call(stack, "GET", "/api/v1/reports/periods?periods=3&region=prod-eu");
    const csv = await get("/api/v1/reports/periods?periods=3&region=prod-eu", "text/csv");
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    const lines = parse(csv.body, { columns: true }) as Record<string, string>[];
    const rows = json.body!.rows as Record<string, any>[];
    expect(rows).toHaveLength(2);
    expect(lines).toHaveLength(6);
    let k = 0;
    for (const row of rows)
      for (const [i, cell] of (row.cells as Record<string, any>[]).entries()) {
        const line = lines[k++]!;
        for (const key of [
          "sloId",
          "name",
          "service",
          "team",
          "endpoint",
          "sli",
          "objectivePercent",
          "region",
        ])
          expect(typed(line[key]!, row[key]), key).toEqual(row[key]);
        expect(Number(line.periodIndex)).toBe(i);
        for (const key of Object.keys(cell).filter((c) => c !== "dates"))
          expect(typed(line[key]!, cell[key]), key).toEqual(cell[key]);
        for (const key of Object.keys(cell.dates))
          expect(typed(line[key]!, cell.dates[key]), key).toEqual(cell.dates[key]);
      }
    expect(lines[0]!.name).toBe('Affil, "login"\nflow');
    expect(lines.some((l) => l.adherence === "broken" || l.adherence === "fulfilled")).toBe(true);
  });

  it("each indicators table as CSV parses back to the JSON values", async () => {
    const json = await call(stack, "GET", "/api/v1/reports/indicators?window=previous");
    expect(json.status).toBe(200);
    for (const table of ["depletion", "slosByService", "leastAvailable", "slowest"]) {
      const csv = await get(`/api/v1/reports/indicators?window=previous&table=${table}`, "text/csv");
      expect(csv.statusCode).toBe(200);
      const lines = parse(csv.body, { columns: true }) as Record<string, string>[];
      const rows = json.body![table] as Record<string, any>[];
      expect(lines.length, table).toBe(rows.length);
      // the endpoint tables read request rollups, which this data has none of: their header still comes
      if (table === "depletion" || table === "slosByService") expect(rows.length, table).toBeGreaterThan(0);
      else expect(csv.body.split("\r\n")[0]).toContain("availability");
      rows.forEach((row, i) => {
        const line = lines[i]!;
        for (const [key, value] of Object.entries(row)) {
          if (key === "episodes") expect(Number(line.episodes)).toBe((value as unknown[]).length);
          else if (key === "period") {
            expect(Number(line.periodStart)).toBe(row.period.start);
            expect(Number(line.periodEnd)).toBe(row.period.end);
          } else if (key === "dates")
            for (const [d, dv] of Object.entries(value as object)) expect(typed(line[d]!, dv), d).toEqual(dv);
          else expect(typed(line[key]!, value), `${table}.${key}`).toEqual(value);
        }
      });
    }
    // JSON stays the default, and an unknown table is a 400 naming the field
    const plain = await get("/api/v1/reports/indicators?window=previous");
    expect(plain.headers["content-type"]).toMatch(/json/);
    const bad = await get("/api/v1/reports/indicators?table=nope", "text/csv");
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/table/);
  });

  it("the overview as CSV parses back to the JSON values, and ?format=csv is a download of the same CSV", async () => {
    const json = await call(stack, "GET", "/api/v1/reports/overview?region=prod-eu");
    const rows = json.body!.rows as Record<string, unknown>[];
    expect(rows).toHaveLength(2);
    const csv = await get("/api/v1/reports/overview?region=prod-eu", "text/csv");
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    const lines = parse(csv.body, { columns: true }) as Record<string, string>[];
    expect(lines).toHaveLength(rows.length);
    rows.forEach((row, i) => {
      for (const [key, value] of Object.entries(row)) {
        if (key === "exhaustion") continue; // an outlook object, not a table column
        expect(typed(lines[i]![key]!, value), key).toEqual(value);
      }
    });
    // a browser link cannot send Accept: ?format=csv answers the same CSV as an attachment
    for (const url of [
      "/api/v1/reports/overview?region=prod-eu",
      "/api/v1/reports/periods?periods=3&region=prod-eu",
      "/api/v1/reports/indicators?window=previous&table=depletion",
    ]) {
      const viaAccept = await get(url, "text/csv");
      const viaLink = await get(`${url}&format=csv`);
      expect(viaLink.statusCode, url).toBe(200);
      expect(viaLink.headers["content-type"], url).toMatch(/^text\/csv/);
      expect(viaLink.headers["content-disposition"], url).toMatch(/^attachment; filename=".+\.csv"$/);
      expect(viaLink.body, url).toBe(viaAccept.body);
    }
    const bad = await get("/api/v1/reports/periods?format=xml");
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/format/);
  });

  it("the incidents as CSV parse back to the JSON values", async () => {
    for (const [title, priority] of [
      ['Checkout errors, "card" step', "P1"],
      ["Login slow", "P3"],
    ] as const) {
      const r = await call(stack, "POST", "/api/v1/incidents", {
        title,
        services: ["checkout", "affil"],
        regions: ["prod-eu"],
        priority,
        severity: "error",
        startedAt: new Date(NOW - 3 * 60 * MINUTE_MS).toISOString(),
      });
      expect(r.status).toBe(201);
      if (priority === "P3")
        expect(
          (
            await call(stack, "POST", `/api/v1/incidents/${r.body!.id}/updates`, {
              state: "resolved",
              message: "Fixed",
            })
          ).status,
        ).toBe(200);
    }
    const json = await call(stack, "GET", "/api/v1/incidents");
    const list = json.body as unknown as Record<string, unknown>[];
    expect(list).toHaveLength(2);
    const csv = await get("/api/v1/incidents?format=csv");
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-disposition"]).toBe('attachment; filename="incidents.csv"');
    const lines = parse(csv.body, { columns: true }) as Record<string, string>[];
    expect(lines).toHaveLength(2);
    list.forEach((incident, i) => {
      const line = lines[i]!;
      for (const key of [
        "id",
        "number",
        "title",
        "state",
        "priority",
        "severity",
        "startedAt",
        "detectedAt",
        "acknowledgedAt",
        "resolvedAt",
        "ttdMinutes",
        "ttaMinutes",
        "ttrMinutes",
      ])
        expect(typed(line[key]!, incident[key]), key).toEqual(incident[key]);
      for (const key of ["teams", "services", "regions"])
        expect(line[key]!.split(" "), key).toEqual(incident[key]);
    });
    expect(lines.map((l) => l.title)).toContain('Checkout errors, "card" step');
    expect(lines[0]!.teams!.split(" ").sort()).toEqual(["identity", "payments"]);
    // the resolved one: 3 hours from start to resolution
    expect(lines.find((l) => l.title === "Login slow")!.ttrMinutes).toBe("180");
  });

  it("the monthly PDF has one page per team, and renders to PNG", async () => {
    const r = await get("/api/v1/reports/monthly.pdf?month=2025-02");
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toBe("application/pdf");
    const pdf = r.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const teams = await stack.db.team.count();
    expect(teams).toBe(3);
    const dir = mkdtempSync(join(tmpdir(), "monthly-pdf-"));
    writeFileSync(join(dir, "report.pdf"), pdf);
    const info = execFileSync("pdfinfo", [join(dir, "report.pdf")]).toString();
    expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBe(teams);
    // 72 dpi: one pixel per PDF point, so the page's layout (A4, 595 × 842 pt) can be read in pixels
    execFileSync("pdftoppm", ["-png", "-r", "72", join(dir, "report.pdf"), join(dir, "page")]);
    const pngs = readdirSync(dir)
      .filter((f) => f.endsWith(".png"))
      .sort();
    expect(pngs).toHaveLength(teams);
    if (process.env.MONTHLY_PDF_OUT) writeFileSync(process.env.MONTHLY_PDF_OUT, pdf);
    // Page by page, in the order of the team slugs: the team's name as the heading, its own SLOs and no other
    // team's, the summary's count, and on the PNG the ink where the text says: heading, one table line per
    // SLO × region (or the "no SLO" line), the footer, and nothing else.
    const expected = [
      { name: "Identity", slug: "identity", slos: ['Affil, "login"'], others: ["Cart availability"] },
      { name: "Payments", slug: "payments", slos: ["Cart availability"], others: ["Affil"] },
      { name: "Search", slug: "search", slos: [], others: ["Affil", "Cart availability"] },
    ];
    const shown: string[] = [];
    for (const [i, team] of expected.entries()) {
      const page = String(i + 1);
      const text = execFileSync("pdftotext", [
        "-layout",
        "-f",
        page,
        "-l",
        page,
        join(dir, "report.pdf"),
        "-",
      ])
        .toString()
        .trim();
      expect(text.split("\n")[0]!.trim(), `page ${page}`).toBe(team.name);
      expect(text).toContain(`Monthly SLO report — 2025-02 (team ${team.slug})`);
      expect(text).toContain(`${team.slos.length} SLO × region`);
      for (const slo of team.slos) expect(text).toContain(slo);
      for (const other of team.others) expect(text).not.toContain(other);
      if (team.slos.length === 0) expect(text).toContain("No SLO with data in this month.");
      const img = readPng(join(dir, pngs[i]!));
      expect([img.width, img.height]).toEqual([596, 842]); // A4 is 595.28 × 841.89 pt
      // bands of dark rows (the grey rule under the table header is lighter): heading, subtitle, summary, the
      // table header, the table's lines (17 pt apart), the two footer lines
      const rows = inkedRows(img);
      const bands: [number, number][] = [];
      for (const y of rows)
        if (bands.length && y - bands.at(-1)![1] <= 3) bands.at(-1)![1] = y;
        else bands.push([y, y]);
      const at = (from: number, to: number) => bands.filter(([top]) => top >= from && top < to);
      const seen = `on page ${page}: ${JSON.stringify(bands)}`;
      expect(at(0, 36), `ink above the heading ${seen}`).toHaveLength(0);
      // the 18 pt heading at 40 pt, then subtitle, summary and the table's header
      const [heading] = at(36, 60);
      expect(heading![1] - heading![0], `heading ${seen}`).toBeGreaterThanOrEqual(12);
      expect(at(60, 136), `subtitle, summary and table header ${seen}`).toHaveLength(3);
      expect(at(136, 775), `table lines ${seen}`).toHaveLength(Math.max(team.slos.length, 1));
      expect(at(775, 842), `footer ${seen}`).toHaveLength(2);
      expect(rows.at(-1)!, `ink below the footer on page ${page}`).toBeLessThan(810);
      shown.push(Buffer.from(img.grey).toString("base64"));
    }
    expect(new Set(shown).size).toBe(teams);
    const bad = await get("/api/v1/reports/monthly.pdf?month=2025-13");
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/month/);
  });
});
