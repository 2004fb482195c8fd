import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startStack, type Stack } from "./harness";

/**
 * The team self-assessment: Westrum's six aspects scored 1-5, one answer set per team and quarter (answering
 * again replaces it), and the organisation's trend over quarters on the adoption board.
 */
const NOW = Date.parse("2026-12-06T09:30:00Z"); // 2026-Q4
let stack: Stack;

const answers = (
  cooperation: number,
  messengers: number,
  responsibilities: number,
  bridging: number,
  failure: number,
  novelty: number,
) => ({
  cooperation,
  messengers,
  responsibilities,
  bridging,
  failure,
  novelty,
});

beforeAll(async () => {
  stack = await startStack({ now: () => NOW });
  for (const slug of ["north", "south", "west"])
    expect((await call(stack, "POST", "/api/v1/teams", { slug, name: slug.toUpperCase() })).status).toBe(201);
}, 120_000);
afterAll(async () => stack?.stop());

describe("team self-assessment", () => {
  it("lists the six aspects with their statements and no answers at first", async () => {
    const r = await call(stack, "GET", "/api/v1/teams/north/culture");
    expect(r.status).toBe(200);
    expect(r.body!.currentQuarter).toBe("2026-Q4");
    expect((r.body!.aspects as { aspect: string; label: string }[]).map((a) => [a.aspect, a.label])).toEqual([
      ["cooperation", "High cooperation"],
      ["messengers", "Messengers trained"],
      ["responsibilities", "Risks and responsibilities shared"],
      ["bridging", "Bridging encouraged"],
      ["failure", "Failure leads to inquiry"],
      ["novelty", "Novelty implemented"],
    ]);
    expect(r.body!.quarters).toEqual([]);
  });

  it("keeps one answer set per team and quarter, with its mean and Westrum type", async () => {
    const q3 = await call(stack, "PUT", "/api/v1/teams/north/culture/2026-Q3", answers(2, 2, 2, 3, 1, 2));
    expect(q3.status, JSON.stringify(q3.body)).toBe(200);
    expect(q3.body).toMatchObject({ team: "north", quarter: "2026-Q3", type: "pathological" });
    expect(q3.body!.mean).toBeCloseTo(2, 12);
    const first = await call(stack, "PUT", "/api/v1/teams/north/culture/2026-Q4", answers(3, 3, 3, 3, 3, 3));
    expect(first.body).toMatchObject({ mean: 3, type: "bureaucratic" });
    // answering the quarter again replaces it
    const again = await call(stack, "PUT", "/api/v1/teams/north/culture/2026-Q4", {
      ...answers(4, 4, 3, 4, 5, 4),
      note: "blameless postmortems since October",
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ type: "generative", note: "blameless postmortems since October" });
    expect(again.body!.mean).toBeCloseTo(4, 12);
    const list = await call(stack, "GET", "/api/v1/teams/north/culture");
    const quarters = list.body!.quarters as {
      quarter: string;
      scores: Record<string, number>;
      mean: number;
    }[];
    expect(quarters.map((q) => q.quarter)).toEqual(["2026-Q3", "2026-Q4"]);
    expect(quarters[1]!.scores).toEqual(answers(4, 4, 3, 4, 5, 4));
    expect(await stack.db.cultureAssessment.count()).toBe(2);
    const audit = await stack.db.auditLog.findMany({ where: { entity: "culture_assessment" } });
    expect(audit.map((a) => `${a.entityId}:${a.action}`).sort()).toEqual([
      "north/2026-Q3:create",
      "north/2026-Q4:create",
      "north/2026-Q4:update",
    ]);
  });

  it("shows the trend over quarters on the adoption board: teams that answered and the mean per aspect", async () => {
    expect(
      (await call(stack, "PUT", "/api/v1/teams/south/culture/2026-Q4", answers(2, 3, 3, 2, 4, 2))).status,
    ).toBe(200);
    expect(
      (await call(stack, "PUT", "/api/v1/teams/south/culture/2026-Q2", answers(1, 1, 1, 1, 1, 1))).status,
    ).toBe(200);
    const board = await call(stack, "GET", "/api/v1/reports/adoption?quarters=4");
    expect(board.status).toBe(200);
    const culture = board.body!.culture as {
      quarter: string;
      teams: number;
      means: Record<string, number | null>;
      mean: number | null;
    }[];
    expect(culture.map((q) => [q.quarter, q.teams])).toEqual([
      ["2026-Q1", 0],
      ["2026-Q2", 1],
      ["2026-Q3", 1],
      ["2026-Q4", 2],
    ]);
    expect(culture[0]!.means.cooperation).toBeNull();
    expect(culture[0]!.mean).toBeNull();
    expect(culture[2]!.means).toEqual(answers(2, 2, 2, 3, 1, 2));
    // Q4: north 4,4,3,4,5,4 and south 2,3,3,2,4,2
    expect(culture[3]!.means).toEqual({
      cooperation: 3,
      messengers: 3.5,
      responsibilities: 3,
      bridging: 3,
      failure: 4.5,
      novelty: 3,
    });
    expect(culture[3]!.mean).toBeCloseTo((4 + (2 + 3 + 3 + 2 + 4 + 2) / 6) / 2, 12);
    // one team's board has only its own answers
    const west = await call(stack, "GET", "/api/v1/reports/adoption?team=west");
    expect((west.body!.culture as { teams: number }[]).every((q) => q.teams === 0)).toBe(true);
  });

  it.each([
    { name: "a score of 0", body: answers(0, 3, 3, 3, 3, 3), field: "cooperation" },
    { name: "a score of 6", body: answers(3, 3, 3, 3, 3, 6), field: "novelty" },
    { name: "a fractional score", body: answers(3, 3.5, 3, 3, 3, 3), field: "messengers" },
    {
      name: "a missing aspect",
      body: { ...answers(3, 3, 3, 3, 3, 3), failure: undefined },
      field: "failure",
    },
    { name: "an unknown aspect", body: { ...answers(3, 3, 3, 3, 3, 3), morale: 2 }, field: "morale" },
  ])("a bad answer set ($name) is a 400 naming the field", async ({ body, field }) => {
    const r = await call(stack, "PUT", "/api/v1/teams/west/culture/2026-Q4", body);
    expect(r.status).toBe(400);
    expect(r.body!.error.message + JSON.stringify(r.body!.error.details)).toContain(field);
    expect(await stack.db.cultureAssessment.count({ where: { team: { slug: "west" } } })).toBe(0);
  });

  it("refuses a future or malformed quarter naming it, and an unknown team with a 404", async () => {
    const future = await call(stack, "PUT", "/api/v1/teams/west/culture/2027-Q1", answers(3, 3, 3, 3, 3, 3));
    expect(future.status).toBe(400);
    expect(future.body!.error.message).toContain("quarter");
    const malformed = await call(
      stack,
      "PUT",
      "/api/v1/teams/west/culture/2026-Q5",
      answers(3, 3, 3, 3, 3, 3),
    );
    expect(malformed.status).toBe(400);
    expect(malformed.body!.error.message).toContain("quarter");
    const ghost = await call(stack, "PUT", "/api/v1/teams/ghost/culture/2026-Q4", answers(3, 3, 3, 3, 3, 3));
    expect(ghost.status).toBe(404);
  });
});
