import { JSDOM } from "jsdom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeSliMinutes } from "@burnrate/db";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@burnrate/slo-core";
import { call, startStack, type Stack } from "./harness";

/**
 * The public status page (book §9.7) at a fixed "now": components from services and regions, their state
 * from open public incidents, 90-day uptime from the SLIs (compared with the stored SLI sums), the JSON and
 * Atom feeds, no session, nothing internal, hostile text escaped.
 */
const NOW = Date.UTC(2021, 11, 12, 13, 30, 0);
const TODAY = Math.floor(NOW / DAY_MS) * DAY_MS;
const HOSTILE = `<script>alert("x")</script> & 'uploads'`;

describe("status pages", () => {
  let stack: Stack;
  let sloId: string;
  const regions: Record<string, string> = {};
  let incidentId: string;
  const anon = (url: string) => stack.app.inject({ method: "GET", url });

  beforeAll(async () => {
    stack = await startStack({ now: () => NOW });
    await call(stack, "POST", "/api/v1/teams", { slug: "secret-team", name: "Secret team" });
    await call(stack, "POST", "/api/v1/services", {
      slug: "ingest-internal-7",
      name: "Ingest internal",
      team: "secret-team",
    });
    await call(stack, "POST", "/api/v1/services", { slug: "login-core", name: "Login", team: "secret-team" });
    for (const slug of ["prod-eu", "prod-us"])
      regions[slug] = (await stack.db.region.create({ data: { slug, name: slug } })).id;
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service: "ingest-internal-7",
      name: "internal uploads slo",
      sli: { type: "availability" },
      objectivePercent: 99.5,
    });
    expect(slo.status).toBe(201);
    sloId = slo.body!.id;
    const minutes: { sloId: string; regionId: string; minuteMs: number; good: number; total: number }[] = [];
    // EU: 3 days with traffic inside the 90 days (one of them today), one day just outside; US: other numbers.
    const days: [string, number, number, number][] = [
      ["prod-eu", TODAY - 89 * DAY_MS + 2 * HOUR_MS, 990, 1000],
      ["prod-eu", TODAY - 10 * DAY_MS + 5 * HOUR_MS, 500, 1000],
      ["prod-eu", TODAY + 1 * HOUR_MS, 1000, 1000],
      ["prod-eu", TODAY - 90 * DAY_MS + 2 * HOUR_MS, 0, 1000],
      ["prod-us", TODAY - 10 * DAY_MS + 5 * HOUR_MS, 100, 100],
    ];
    for (const [region, at, good, total] of days)
      for (let m = 0; m < 10; m++)
        minutes.push({
          sloId,
          regionId: regions[region]!,
          minuteMs: at + m * MINUTE_MS,
          good: good / 10,
          total: total / 10,
        });
    await storeSliMinutes(stack.db, minutes);
  });
  afterAll(async () => stack?.stop());

  it("creates a page from components, refusing unknown services, regions and taken or bad slugs", async () => {
    const created = await call(stack, "POST", "/api/v1/status-pages", {
      slug: "production-europe",
      name: "Production Europe",
      components: [
        { name: "Data upload", service: "ingest-internal-7", region: "prod-eu" },
        { name: "Log-on", service: "login-core" },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      slug: "production-europe",
      url: "http://burnrate.test/status/production-europe",
      components: [
        { name: "Data upload", service: "ingest-internal-7", region: "prod-eu" },
        { name: "Log-on", service: "login-core", region: null },
      ],
    });
    const bad: [unknown, number, string][] = [
      [
        { slug: "production-europe", name: "Again", components: [{ name: "x", service: "login-core" }] },
        409,
        "slug",
      ],
      [{ slug: "Bad Slug!", name: "x", components: [{ name: "x", service: "login-core" }] }, 400, "slug"],
      [{ slug: "p2", name: "x", components: [{ name: "x", service: "nope" }] }, 400, "components[0].service"],
      [
        { slug: "p2", name: "x", components: [{ name: "x", service: "login-core", region: "mars" }] },
        400,
        "components[0].region",
      ],
      [{ slug: "p2", name: "x", components: [] }, 400, "components"],
    ];
    for (const [body, status, field] of bad) {
      const r = await call(stack, "POST", "/api/v1/status-pages", body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body!.error.message).toContain(field);
    }
    const list = await call(stack, "GET", "/api/v1/status-pages");
    expect(list.body!.map((p: { slug: string }) => p.slug)).toEqual(["production-europe"]);
  });

  it("shows 90-day uptime per component equal to the SLI sums of the same days", async () => {
    const r = await anon("/status/production-europe.json");
    expect(r.statusCode).toBe(200);
    const s = JSON.parse(r.body);
    const upload = s.components[0];
    expect(upload.days).toHaveLength(90);
    expect(upload.days[0].date).toBe(new Date(TODAY - 89 * DAY_MS).toISOString().slice(0, 10));
    expect(upload.days[89].date).toBe(new Date(TODAY).toISOString().slice(0, 10));
    // The same days straight from the stored SLI hours.
    const rows = await stack.db.$queryRawUnsafe<{ day: Date; good: bigint; total: bigint }[]>(
      `select date_trunc('day', hour at time zone 'UTC') as day, sum(good)::bigint as good, sum(total)::bigint as total
         from sli_hours where slo_id = $1::uuid and region_id = $2::uuid and hour >= $3 and hour <= $4 group by 1`,
      sloId,
      regions["prod-eu"],
      new Date(TODAY - 89 * DAY_MS),
      new Date(NOW),
    );
    expect(rows).toHaveLength(3);
    let good = 0;
    let total = 0;
    for (const row of rows) {
      const date = new Date(Date.UTC(row.day.getFullYear(), row.day.getMonth(), row.day.getDate()))
        .toISOString()
        .slice(0, 10);
      const day = upload.days.find((d: { date: string }) => d.date === date);
      expect(day.uptimePercent).toBeCloseTo((100 * Number(row.good)) / Number(row.total), 9);
      good += Number(row.good);
      total += Number(row.total);
    }
    expect(upload.uptime90dPercent).toBeCloseTo((100 * good) / total, 9);
    expect(upload.uptime90dPercent).toBeCloseTo((100 * 2490) / 3000, 9);
    expect(
      upload.days.filter((d: { uptimePercent: number | null }) => d.uptimePercent !== null),
    ).toHaveLength(3);
    // Log-on has no SLO: no uptime, not 0% or 100%.
    expect(s.components[1].uptime90dPercent).toBeNull();
    expect(s.status).toBe("operational");
  });

  it("shows an open P2 incident and its public updates, without a session and without internals", async () => {
    const opened = await call(stack, "POST", "/api/v1/incidents", {
      title: HOSTILE,
      services: ["ingest-internal-7"],
      regions: ["prod-eu"],
      priority: "P2",
      severity: "warning",
      startedAt: new Date(NOW - 30 * MINUTE_MS).toISOString(),
      message: "Data uploaded in the last 24h is not visible. Investigations ongoing.",
      public: true,
    });
    expect(opened.status).toBe(201);
    incidentId = opened.body!.id;
    await call(stack, "POST", `/api/v1/incidents/${incidentId}/updates`, {
      message: "private: the ingest-internal-7 queue in secret-team's cluster is stuck",
    });
    await call(stack, "POST", `/api/v1/incidents/${incidentId}/updates`, {
      state: "identified",
      message: "Root causes understood. Fix in preparation.",
      public: true,
    });

    const html = await anon("/status/production-europe");
    expect(html.statusCode).toBe(200);
    expect(html.headers["content-type"]).toContain("text/html");
    expect(html.headers["cache-control"]).toContain("public");
    expect(html.headers["set-cookie"]).toBeUndefined();
    for (const internal of [
      "ingest-internal-7",
      "secret-team",
      "Secret team",
      "login-core",
      "private:",
      "99.5",
      "internal uploads slo",
    ])
      expect(html.body).not.toContain(internal);
    expect(html.body).not.toContain("<script>");
    const doc = new JSDOM(html.body).window.document;
    expect(doc.documentElement.lang).toBe("en");
    expect(doc.querySelector("h1")!.textContent).toBe("Production Europe");
    expect(doc.querySelector(".incident h3")!.textContent).toBe(HOSTILE);
    const updates = [...doc.querySelectorAll(".incident .update")].map((u) => u.textContent);
    expect(updates[0]).toContain("Root causes understood");
    expect(updates[1]).toContain("Investigations ongoing");
    expect(updates).toHaveLength(2);
    const states = [...doc.querySelectorAll(".component")].map((c) => [
      c.querySelector(".name")!.textContent,
      c.querySelector(".status")!.textContent,
    ]);
    expect(states).toEqual([
      ["Data upload", "Major outage"],
      ["Log-on", "Operational"],
    ]);
    // The page shows the 90-day uptime of the SLI sums (2,490 good of 3,000) and one bar per day.
    const metas = [...doc.querySelectorAll(".component .meta")].map((m) => m.textContent);
    expect(metas[0]).toContain("83.000% uptime");
    expect(metas[1]).toContain("no uptime data");
    expect(doc.querySelectorAll(".component")[0]!.querySelectorAll(".bars span")).toHaveLength(90);

    const json = JSON.parse((await anon("/status/production-europe.json")).body);
    expect(json.status).toBe("major_outage");
    expect(json.incidents).toHaveLength(1);
    expect(json.incidents[0]).toMatchObject({
      title: HOSTILE,
      state: "identified",
      components: ["Data upload"],
    });
    expect(JSON.stringify(json)).not.toContain("ingest-internal-7");
    expect(JSON.stringify(json)).not.toContain("private:");
  });

  it("publishes the public updates as a valid Atom feed", async () => {
    const r = await anon("/status/production-europe/feed.atom");
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toContain("application/atom+xml");
    // A strict XML parse: malformed XML throws.
    const doc = new JSDOM(r.body, { contentType: "application/xml" }).window.document;
    const ATOM = "http://www.w3.org/2005/Atom";
    const feed = doc.documentElement;
    expect(feed.namespaceURI).toBe(ATOM);
    expect(feed.localName).toBe("feed");
    const child = (el: typeof feed, name: string) => [...el.children].find((c) => c.localName === name);
    for (const required of ["id", "title", "updated", "author"]) expect(child(feed, required)).toBeDefined();
    const entries = [...feed.children].filter((c) => c.localName === "entry");
    expect(entries).toHaveLength(2);
    for (const entry of entries) {
      for (const required of ["id", "title", "updated", "content"])
        expect(child(entry, required)).toBeDefined();
      expect(Number.isNaN(Date.parse(child(entry, "updated")!.textContent!))).toBe(false);
    }
    expect(child(entries[0]!, "title")!.textContent).toBe(`Identified: ${HOSTILE}`);
    expect(child(entries[1]!, "content")!.textContent).toContain("Investigations ongoing");
    expect(new Set(entries.map((e) => child(e, "id")!.textContent)).size).toBe(2);
    expect(r.body).not.toContain("private:");
  });

  it("answers 404 for unknown or hostile slugs, escaping them", async () => {
    for (const slug of ["nope", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "..%2F..%2Fetc"]) {
      for (const suffix of ["", ".json", "/feed.atom"]) {
        const r = await anon(`/status/${slug}${suffix}`);
        expect(r.statusCode, `${slug}${suffix}`).toBe(404);
        expect(r.body).not.toContain("<script>");
      }
    }
  });

  it("goes back to operational when the incident is resolved, keeping it listed as resolved", async () => {
    await call(stack, "POST", `/api/v1/incidents/${incidentId}/updates`, {
      state: "resolved",
      message: "Uploads are visible again.",
      public: true,
    });
    const json = JSON.parse((await anon("/status/production-europe.json")).body);
    expect(json.status).toBe("operational");
    expect(json.incidents[0].state).toBe("resolved");
    expect(json.incidents[0].updates).toHaveLength(3);
  });
});
