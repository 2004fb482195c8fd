import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startStack, type Stack } from "./harness";

const DAY = 24 * 3600_000;
const WEEK = 7 * DAY;
const PEOPLE = ["ann", "ben", "cat", "dan", "eve", "oli", "pat"].map((n) => `${n}@example.com`);
const [A, B, C, D, E, O, P] = PEOPLE as [string, string, string, string, string, string, string];
const iso = (ms: number) => new Date(ms).toISOString();
/** A weekly rotation handed off at 09:00, from Monday 5 January 2026. */
const WEEKLY = { periodDays: 7, handoff: "09:00", start: "2026-01-05" };

/** The events of an iCal text, as [start, end, summary] in ISO time. */
function parseIcal(text: string): { start: string; end: string; summary: string; uid: string }[] {
  const comp = new ICAL.Component(ICAL.parse(text));
  return comp.getAllSubcomponents("vevent").map((v) => {
    const e = new ICAL.Event(v);
    return {
      start: e.startDate.toJSDate().toISOString(),
      end: e.endDate.toJSDate().toISOString(),
      summary: e.summary,
      uid: e.uid,
    };
  });
}

describe("on-call schedules", () => {
  let stack: Stack;
  const post = (path: string, body: unknown) => call(stack, "POST", path, body);
  const get = (path: string) => call(stack, "GET", path);
  const login = async (email: string) => {
    const r = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email, password: "a long password" },
    });
    expect(r.statusCode).toBe(200);
    return String(r.headers["set-cookie"]).split(";")[0]!;
  };
  const asUser = async (cookie: string, method: "GET" | "POST", url: string, body?: unknown) => {
    const r = await stack.app.inject({
      method,
      url,
      headers: {
        cookie,
        "x-burnrate-csrf": "1",
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    return { status: r.statusCode, body: JSON.parse(r.body) as Record<string, any> };
  };

  beforeAll(async () => {
    stack = await startStack();
    for (const slug of ["payments", "search"])
      expect((await post("/api/v1/teams", { slug, name: slug })).status).toBe(201);
    for (const email of PEOPLE)
      expect(
        (await post("/api/v1/users", { email, name: email.split("@")[0], password: "a long password" }))
          .status,
      ).toBe(201);
    await stack.db.region.create({ data: { slug: "prod-eu", name: "prod-eu" } });
  });
  afterAll(async () => stack?.stop());

  it("reproduces the book's three-person round-robin (Table 7.6) through the API", async () => {
    const created = await post("/api/v1/schedules", {
      name: "Payments weekly",
      team: "payments",
      timeZone: "UTC",
      rotation: WEEKLY,
      positions: ["main", "backup", "backup2"],
      members: [A, B, C],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      scope: "team",
      team: "payments",
      teams: ["payments"],
      activeHours: null,
    });
    expect(created.body!.icalUrl).toMatch(
      new RegExp(`^/api/v1/schedules/${created.body!.id}/ical\\?token=brcal_`),
    );
    const first = Date.parse("2026-01-05T09:00:00Z");
    const row = async (k: number) =>
      (await get(`/api/v1/schedules/${created.body!.id}/oncall?at=${iso(first + k * WEEK + DAY)}`)).body!;
    const periods = await Promise.all([0, 1, 2, 3].map(row));
    const names = (p: "main" | "backup" | "backup2") =>
      periods.map((x) => x.positions[p].name.toUpperCase()[0]).join("");
    expect([names("main"), names("backup"), names("backup2")]).toEqual(["ABCA", "BCAB", "CABC"]);
    expect(periods[0]!.positions.main).toEqual({ email: A, name: "ann", source: "rotation", layer: 0 });
    const before = await get(`/api/v1/schedules/${created.body!.id}/oncall?at=2026-01-05T08:59:59Z`);
    expect(before.body!.positions).toEqual({ main: null, backup: null, backup2: null });
    // the four periods of the timeline
    const shifts = await get(`/api/v1/schedules/${created.body!.id}/shifts?from=${iso(first)}`);
    expect(shifts.body!.periods.filter((p: any) => p.layer === 0)).toHaveLength(4);
    expect(shifts.body!.to).toBe(iso(first + 4 * WEEK));
    expect(shifts.body!.shifts.filter((s: any) => s.position === "main").map((s: any) => s.email)).toEqual([
      A,
      B,
      C,
      A,
    ]);
  });

  it("business hours go to the team's rotation, out of hours to the region's (10:00 and 22:00 in Berlin)", async () => {
    const team = await post("/api/v1/schedules", {
      name: "Payments business hours",
      team: "payments",
      timeZone: "Europe/Berlin",
      rotation: { periodDays: 7, handoff: "09:00", start: "2026-03-02" },
      activeHours: "8x5",
      positions: ["main", "backup"],
      members: [A, B],
    });
    const region = await post("/api/v1/schedules", {
      name: "EU out of hours",
      region: "prod-eu",
      timeZone: "Europe/Berlin",
      rotation: { periodDays: 7, handoff: "09:00", start: "2026-03-02" },
      activeHours: "16x7",
      positions: ["main", "backup"],
      members: [O, P],
    });
    expect([team.status, region.status]).toEqual([201, 201]);
    expect(region.body).toMatchObject({ scope: "region", region: "prod-eu", teams: [] });
    const at = (id: string, t: string) => get(`/api/v1/schedules/${id}/oncall?at=${t}`);
    // Wednesday 2026-03-11: 10:00 CET = 09:00Z, 22:00 CET = 21:00Z
    const tenTeam = await at(team.body!.id, "2026-03-11T09:00:00Z");
    const tenRegion = await at(region.body!.id, "2026-03-11T09:00:00Z");
    const tenPmTeam = await at(team.body!.id, "2026-03-11T21:00:00Z");
    const tenPmRegion = await at(region.body!.id, "2026-03-11T21:00:00Z");
    expect(tenTeam.body!.positions.main.email).toBe(B); // second period (from 9 March)
    expect(tenRegion.body!.positions).toEqual({ main: null, backup: null });
    expect(tenPmTeam.body!.positions).toEqual({ main: null, backup: null });
    expect(tenPmRegion.body!.positions.main.email).toBe(P);
    // After the DST change (29 March) the hand-off stays at 09:00 local: 07:00Z.
    const april = await at(team.body!.id, "2026-03-30T06:59:00Z");
    const aprilOn = await at(team.body!.id, "2026-03-30T07:00:00Z");
    expect(april.body!.positions.main).toBeNull();
    expect(aprilOn.body!.positions.main.email).toBe(A);
    const weeks = await get(`/api/v1/schedules/${team.body!.id}/shifts?from=2026-03-23T08:00:00Z`);
    const lengths = weeks.body!.periods.map((p: any) => (Date.parse(p.end) - Date.parse(p.start)) / 3600_000);
    expect(lengths).toEqual([167, 168, 168, 168]);
    expect(weeks.body!.shifts.filter((s: any) => s.position === "main")).toHaveLength(20); // 5 days × 4 weeks
  });

  it("dispatches an alert at 10:00 to the team's rotation and at 22:00 to the region's (book Table 7.9)", async () => {
    await post("/api/v1/teams", { slug: "orders", name: "orders" });
    await post("/api/v1/services", { slug: "orders-api", name: "Orders API", team: "orders" });
    await stack.db.region.create({ data: { slug: "prod-us", name: "prod-us" } });
    const common = {
      timeZone: "America/New_York",
      rotation: { periodDays: 7, handoff: "09:00", start: "2026-03-02" },
      positions: ["main", "backup"],
    };
    const team = await post("/api/v1/schedules", {
      ...common,
      name: "Orders business hours",
      team: "orders",
      activeHours: "8x5",
      members: [A, B],
    });
    const region = await post("/api/v1/schedules", {
      ...common,
      name: "US out of hours",
      region: "prod-us",
      activeHours: "16x7",
      members: [O, P],
    });
    expect([team.status, region.status]).toEqual([201, 201]);
    // Thursday 2026-03-05 in New York (EST, UTC−5): 10:00 = 15:00Z, 22:00 = 03:00Z the next day.
    const at10 = await get("/api/v1/oncall?service=orders-api&region=prod-us&at=2026-03-05T15:00:00Z");
    const at22 = await get("/api/v1/oncall?service=orders-api&region=prod-us&at=2026-03-06T03:00:00Z");
    expect(at10.body).toMatchObject({
      dispatch: "team",
      schedule: { id: team.body!.id, scope: "team" },
      positions: { main: { email: A }, backup: { email: B } },
    });
    expect(at22.body).toMatchObject({
      dispatch: "region",
      schedule: { id: region.body!.id, scope: "region" },
      positions: { main: { email: O }, backup: { email: P } },
    });
    // Without the region, nobody answers out of hours; an unknown service is a 400 naming the field.
    expect((await get("/api/v1/oncall?team=orders&at=2026-03-06T03:00:00Z")).body).toMatchObject({
      dispatch: "none",
      schedule: null,
    });
    const bad = await get("/api/v1/oncall?service=nope&region=prod-us");
    expect(bad.status).toBe(400);
    expect(bad.body!.error.message).toContain("service");
    expect((await get("/api/v1/oncall")).status).toBe(400);
  });

  it("an override and an accepted swap change who is on call; the iCal feeds show the same shifts as the API", async () => {
    const s = await post("/api/v1/schedules", {
      name: "Search",
      team: "search",
      timeZone: "UTC",
      rotation: WEEKLY,
      positions: ["main", "backup"],
      members: [C, D, E],
    });
    const id = s.body!.id as string;
    const t = Date.parse("2027-02-01T09:00:00Z"); // far in the future: overrides must end after now
    const k = Math.round((t - Date.parse("2026-01-05T09:00:00Z")) / WEEK);
    const expectedMain = [C, D, E][k % 3]!;
    const expectedBackup = [C, D, E][(k + 1) % 3]!;
    const oncall = async (ms: number) =>
      (await get(`/api/v1/schedules/${id}/oncall?at=${iso(ms)}`)).body!.positions;
    expect((await oncall(t + DAY)).main.email).toBe(expectedMain);

    const ov = await post(`/api/v1/schedules/${id}/overrides`, {
      position: "main",
      email: A,
      from: iso(t + DAY),
      to: iso(t + 2 * DAY),
      reason: "dentist",
    });
    expect(ov.status).toBe(201);
    expect((await oncall(t + DAY)).main).toMatchObject({ email: A, source: "override" });
    expect((await oncall(t + 2 * DAY)).main).toMatchObject({ email: expectedMain, source: "rotation" });

    // The backup asks for someone to take the third day; the third member accepts.
    const other = [C, D, E].find((x) => x !== expectedMain && x !== expectedBackup)!;
    const backupCookie = await login(expectedBackup);
    const req = await asUser(backupCookie, "POST", `/api/v1/schedules/${id}/swaps`, {
      from: iso(t + 2 * DAY),
      to: iso(t + 3 * DAY),
      note: "conference",
    });
    expect(req.status).toBe(201);
    expect(req.body).toMatchObject({ state: "open", requester: { email: expectedBackup }, acceptor: null });
    expect((await oncall(t + 2 * DAY)).backup.email).toBe(expectedBackup); // not yet accepted
    const self = await asUser(
      backupCookie,
      "POST",
      `/api/v1/schedules/${id}/swaps/${req.body.id}/accept`,
      {},
    );
    expect(self.status).toBe(400);
    const otherCookie = await login(other);
    const acc = await asUser(otherCookie, "POST", `/api/v1/schedules/${id}/swaps/${req.body.id}/accept`, {});
    expect(acc.status).toBe(200);
    expect(acc.body).toMatchObject({ state: "accepted", acceptor: { email: other } });
    expect((await oncall(t + 2 * DAY)).backup).toMatchObject({ email: other, source: "swap" });
    expect((await oncall(t + 3 * DAY)).backup.email).toBe(expectedBackup);
    const again = await asUser(
      otherCookie,
      "POST",
      `/api/v1/schedules/${id}/swaps/${req.body.id}/accept`,
      {},
    );
    expect(again.status).toBe(409);

    // Schedule feed, read with the token only (no session), against the API's shifts over the same range.
    const feed = await stack.app.inject({ method: "GET", url: s.body!.icalUrl });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers["content-type"]).toMatch(/^text\/calendar/);
    const events = parseIcal(feed.body);
    const today = Math.floor(Date.now() / DAY) * DAY; // a feed lists whole UTC days: 14 back, 90 ahead
    const api = await get(
      `/api/v1/schedules/${id}/shifts?from=${iso(today - 14 * DAY)}&to=${iso(today + 90 * DAY)}`,
    );
    expect(events.map((e) => [e.start, e.end])).toEqual(
      [...api.body!.shifts].map((x: any) => [x.start, x.end]),
    );
    expect(events.length).toBeGreaterThan(20);
    // Person feed: only that person's shifts, across schedules
    const tok = await asUser(otherCookie, "POST", "/api/v1/users/me/ical-token");
    expect(tok.status).toBe(200);
    const mine = parseIcal((await stack.app.inject({ method: "GET", url: tok.body.icalUrl })).body);
    const apiMine = api
      .body!.shifts.filter((x: any) => x.email === other)
      .sort((x: any, y: any) => Date.parse(x.start) - Date.parse(y.start));
    expect(mine.map((e) => [e.start, e.end])).toEqual(apiMine.map((x: any) => [x.start, x.end]));
    expect(mine.some((e) => e.summary.includes("backup"))).toBe(true);

    // Wrong or missing tokens are refused; tokens are stored as hashes only.
    const token = new URL(s.body!.icalUrl, "http://x").searchParams.get("token")!;
    expect((await stack.app.inject({ method: "GET", url: `/api/v1/schedules/${id}/ical` })).statusCode).toBe(
      401,
    );
    expect(
      (await stack.app.inject({ method: "GET", url: `/api/v1/schedules/${id}/ical?token=${token}x` }))
        .statusCode,
    ).toBe(401);
    const stored = await stack.db.calendarFeed.findUniqueOrThrow({ where: { scheduleId: id } });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(JSON.stringify((await get(`/api/v1/schedules/${id}`)).body)).not.toContain(token);
    // A new token stops the old one.
    const rotated = await post(`/api/v1/schedules/${id}/ical-token`, undefined);
    expect(rotated.status).toBe(200);
    expect((await stack.app.inject({ method: "GET", url: s.body!.icalUrl })).statusCode).toBe(401);
    expect((await stack.app.inject({ method: "GET", url: rotated.body!.icalUrl })).statusCode).toBe(200);

    // Deleting the override hands the shift back.
    expect((await call(stack, "DELETE", `/api/v1/schedules/${id}/overrides/${ov.body!.id}`)).status).toBe(
      200,
    );
    expect((await oncall(t + DAY)).main.email).toBe(expectedMain);
  });

  it("a swap that names a colleague: only they can accept or decline it; a declined swap changes nobody's shift", async () => {
    const s = await post("/api/v1/schedules", {
      name: "Search named swaps",
      team: "search",
      timeZone: "UTC",
      rotation: WEEKLY,
      positions: ["main"],
      members: [C, D, E],
    });
    const id = s.body!.id as string;
    const t = Date.parse("2027-03-01T09:00:00Z");
    const k = Math.round((t - Date.parse("2026-01-05T09:00:00Z")) / WEEK);
    const holder = [C, D, E][k % 3]!;
    const [asked, bystander] = [C, D, E].filter((x) => x !== holder) as [string, string];
    const oncall = async (ms: number) =>
      (await get(`/api/v1/schedules/${id}/oncall?at=${iso(ms)}`)).body!.positions;
    const holderCookie = await login(holder);
    const askedCookie = await login(asked);
    const bystanderCookie = await login(bystander);
    const swapUrl = (swapId: string, action: string) => `/api/v1/schedules/${id}/swaps/${swapId}/${action}`;
    const ask = (body: object = {}) =>
      asUser(holderCookie, "POST", `/api/v1/schedules/${id}/swaps`, {
        from: iso(t + DAY),
        to: iso(t + 2 * DAY),
        colleague: asked,
        ...body,
      });

    const bad: [object, string][] = [
      [{ colleague: holder }, "colleague"],
      [{ colleague: A }, "colleague"], // not on the rotation
      [{ colleague: "nobody@example.com" }, "colleague"],
      [{ colleague: "not an email" }, "colleague"],
    ];
    for (const [body, field] of bad) {
      const r = await ask(body);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(JSON.stringify(r.body)).toContain(field);
    }

    const first = await ask({ note: "wedding" });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ state: "open", colleague: { email: asked }, declinedBy: null });
    // Someone else on the rotation can neither take it nor decline it.
    for (const action of ["accept", "decline"]) {
      const r = await asUser(bystanderCookie, "POST", swapUrl(first.body.id, action), {});
      expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(409);
      expect(r.body.error.message).toContain(asked);
    }
    const declined = await asUser(askedCookie, "POST", swapUrl(first.body.id, "decline"), {});
    expect(declined.status, JSON.stringify(declined.body)).toBe(200);
    expect(declined.body).toMatchObject({ state: "declined", declinedBy: { email: asked }, acceptor: null });
    expect(typeof declined.body.declinedAt).toBe("string");
    expect((await oncall(t + DAY + 3600_000)).main.email).toBe(holder);
    // Declined is final: no accept, no second decline.
    for (const action of ["accept", "decline"]) {
      const r = await asUser(askedCookie, "POST", swapUrl(first.body.id, action), {});
      expect(r.status).toBe(409);
      expect(r.body.error.message).toContain("declined");
    }
    const listed = await get(`/api/v1/schedules/${id}/swaps`);
    expect(listed.body!.find((x: any) => x.id === first.body.id)).toMatchObject({ state: "declined" });

    // Asked again, the colleague accepts: they are on call for that day.
    const second = await ask();
    const taken = await asUser(askedCookie, "POST", swapUrl(second.body.id, "accept"), {});
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    expect(taken.body).toMatchObject({
      state: "accepted",
      acceptor: { email: asked },
      colleague: { email: asked },
    });
    expect((await oncall(t + DAY + 3600_000)).main).toMatchObject({ email: asked, source: "swap" });

    // A swap that names nobody stays open to everyone: no one declines it for the others.
    const open = await ask({ colleague: undefined, from: iso(t + 3 * DAY), to: iso(t + 4 * DAY) });
    expect(open.body.colleague).toBeNull();
    const r = await asUser(askedCookie, "POST", swapUrl(open.body.id, "decline"), {});
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain("asks no one by name");
    // A token acts for nobody: it must name the decliner.
    expect((await post(swapUrl(second.body.id, "decline"), {})).status).toBe(403);
  });

  it("edits and deletes a schedule", async () => {
    const s = await post("/api/v1/schedules", {
      name: "Domain",
      teams: ["payments", "search"],
      timeZone: "Asia/Kolkata",
      rotation: { periodDays: 1, handoff: "10:00", start: "2026-06-01" },
      positions: ["main"],
      members: [A, B],
      layers: [
        { name: "nights", rotation: { periodDays: 7, handoff: "10:00", start: "2026-06-01" }, members: [O] },
      ],
      activeHours: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "10:00", to: "18:00" }],
    });
    expect(s.status).toBe(201);
    expect(s.body).toMatchObject({ scope: "domain", teams: ["payments", "search"] });
    expect(s.body!.layers.map((l: any) => l.name)).toEqual(["Rotation", "nights"]);
    // Monday 2026-06-01 20:00 IST: the day layer is off, the night layer answers
    const night = await get(`/api/v1/schedules/${s.body!.id}/oncall?at=2026-06-01T14:30:00Z`);
    expect(night.body!.positions.main).toMatchObject({ email: O, layer: 1 });
    const patched = await call(stack, "PATCH", `/api/v1/schedules/${s.body!.id}`, {
      members: [C, D],
      name: "Domain 2",
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: "Domain 2", members: [{ email: C }, { email: D }] });
    expect(patched.body!.layers).toHaveLength(2);
    const day = await get(`/api/v1/schedules/${s.body!.id}/oncall?at=2026-06-02T05:00:00Z`);
    expect(day.body!.positions.main.email).toBe(D);
    const listed = await get("/api/v1/schedules?team=search");
    expect(listed.body!.map((x: any) => x.id)).toContain(s.body!.id);
    expect((await call(stack, "DELETE", `/api/v1/schedules/${s.body!.id}`)).status).toBe(200);
    expect((await get(`/api/v1/schedules/${s.body!.id}`)).status).toBe(404);
  });

  it("two edits at once: the second applies on top of the first, neither is lost", async () => {
    const s = await post("/api/v1/schedules", {
      name: "Concurrent",
      team: "payments",
      timeZone: "UTC",
      rotation: WEEKLY,
      positions: ["main"],
      members: [A, B],
    });
    expect(s.status).toBe(201);
    const url = `/api/v1/schedules/${s.body!.id}`;
    for (let round = 0; round < 5; round++) {
      const members = round % 2 === 0 ? [C, D] : [E, O];
      const night = {
        name: `night ${round}`,
        rotation: WEEKLY,
        activeHours: "16x7",
        members: [P],
      };
      const answers = await Promise.all([
        call(stack, "PATCH", url, { name: `Concurrent ${round}` }),
        call(stack, "PATCH", url, { members }),
        call(stack, "PATCH", url, { layers: [night] }),
      ]);
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
      const now = (await get(url)).body!;
      expect(now.name).toBe(`Concurrent ${round}`);
      expect(now.members.map((m: any) => m.email)).toEqual(members);
      expect(now.layers.map((l: any) => l.name)).toEqual(["Rotation", `night ${round}`]);
    }
    const audit = await stack.db.auditLog.count({
      where: { entity: "schedule", entityId: s.body!.id as string, action: "update" },
    });
    expect(audit).toBe(15);
  });

  const valid = {
    name: "x",
    team: "payments",
    timeZone: "UTC",
    rotation: WEEKLY,
    positions: ["main", "backup"],
    members: [A, B],
  };
  it.each([
    [{ timeZone: "Mars/Olympus" }, "timeZone"],
    [{ rotation: { periodDays: 7, handoff: "25:00", start: "2026-01-05" } }, "rotation.handoff"],
    [{ rotation: { periodDays: 0, handoff: "09:00", start: "2026-01-05" } }, "rotation.periodDays"],
    [{ rotation: { periodDays: 7, handoff: "09:00", start: "2026-02-30" } }, "rotation.start"],
    [{ positions: ["backup"] }, "positions"],
    [{ positions: ["main", "backup", "backup2"] }, "members"],
    [{ members: [A, A] }, "members"],
    [{ members: [A, "nobody@example.com"] }, "members"],
    [{ region: "prod-eu" }, "team"],
    [{ team: "no-such-team" }, "team"],
    [{ activeHours: "9x5" }, "activeHours"],
    [{ activeHours: [{ days: ["mon"], from: "09:00", to: "09:00" }] }, "activeHours"],
    [{ activeHours: [{ days: ["moon"], from: "09:00", to: "10:00" }] }, "activeHours"],
    // 29 window-days in one layer (five 7-day windows = 35 > 28)
    [
      {
        activeHours: [0, 2, 4, 6, 8].map((h) => ({
          days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
          from: `0${h}:00`.slice(-5),
          to: `0${h + 1}:00`.slice(-5),
        })),
      },
      "activeHours",
    ],
    // 8x5 (5) + 16x7 (8) + three more 16x7 layers (24): 37 > 28, the third extra layer is where it goes over
    [
      {
        activeHours: "8x5",
        layers: [1, 2, 3].map(() => ({
          rotation: WEEKLY,
          activeHours: "16x7",
          members: [A, B],
        })),
      },
      "layers.2.activeHours",
    ],
  ])("refuses %j with a 400 naming %s", async (change, field) => {
    const r = await post("/api/v1/schedules", { ...valid, ...change });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body!.error)).toContain(field);
  });

  it("refuses bad queries and bodies on the other routes with 4xx, never a 5xx", async () => {
    const s = await post("/api/v1/schedules", valid);
    const id = s.body!.id as string;
    const cases: [string, string, unknown, number][] = [
      ["GET", `/api/v1/schedules/${id}/oncall?at=yesterday`, undefined, 400],
      [
        "GET",
        `/api/v1/schedules/${id}/shifts?from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z`,
        undefined,
        400,
      ],
      [
        "GET",
        `/api/v1/schedules/${id}/shifts?from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z`,
        undefined,
        400,
      ],
      ["GET", "/api/v1/schedules/not-an-id/oncall", undefined, 404],
      [
        "POST",
        `/api/v1/schedules/${id}/overrides`,
        { position: "backup2", email: A, from: iso(Date.now()), to: iso(Date.now() + DAY) },
        400,
      ],
      [
        "POST",
        `/api/v1/schedules/${id}/overrides`,
        { position: "main", email: A, from: iso(Date.now()), to: iso(Date.now() - DAY) },
        400,
      ],
      [
        "POST",
        `/api/v1/schedules/${id}/overrides`,
        { position: "main", email: "x@y.z", from: iso(Date.now()), to: iso(Date.now() + DAY) },
        400,
      ],
      ["POST", `/api/v1/schedules/${id}/swaps`, { from: iso(Date.now()), to: iso(Date.now() + DAY) }, 403], // a token is nobody
      [
        "POST",
        `/api/v1/schedules/${id}/swaps`,
        { from: iso(Date.now()), to: iso(Date.now() + DAY), requester: E },
        400,
      ], // holds nothing
      ["POST", `/api/v1/schedules/${id}/swaps/${id}/accept`, {}, 404],
      ["PATCH", `/api/v1/schedules/${id}`, {}, 400],
      ["PATCH", `/api/v1/schedules/${id}`, { positions: ["main", "backup", "backup2"] }, 400],
    ];
    for (const [method, url, body, status] of cases) {
      const r = await call(stack, method, url, body);
      expect([method, url, r.status]).toEqual([method, url, status]);
    }
    expect(stack.statuses.filter((x) => x >= 500)).toEqual([]);
  });
});
