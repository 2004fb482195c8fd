import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startStack, type Stack } from "./harness";
import { seedCatalog } from "./openslo-fixtures";
import { goSdkViolations } from "./openslo-sdk-rules";

/** Names at every length limit: 64-character slugs (one past a DNS label), 200-character names, long texts. */
const SLUG_64 = `svc-${"a".repeat(58)}-1`; // 64
const SLUG_64_TWIN = `svc-${"a".repeat(58)}-2`; // the same first 63 characters
const SLUG_63 = `svc-${"b".repeat(57)}-1`; // 63: a DNS label as it is
const TEAM_64 = `team-${"c".repeat(57)}-x`; // 64, no Slack channel
const NAME_200 = `Checkout ${"ü".repeat(150)} ${"x".repeat(39)}`; // 200 characters, some two-byte
const NAME_63 = "n".repeat(63);
const DESC_2000 = "d".repeat(1999) + "!";
const DESC_4000 = "e".repeat(4000);

async function seedLimits(s: Stack): Promise<void> {
  const ok = async (path: string, body: unknown) => {
    const r = await call(s, "POST", path, body);
    if (r.status !== 201) throw new Error(`${path} -> ${r.status} ${JSON.stringify(r.body)}`);
  };
  await ok("/api/v1/teams", { slug: TEAM_64, name: NAME_200 });
  await ok("/api/v1/services", { slug: SLUG_64, name: NAME_200, team: TEAM_64, description: DESC_2000 });
  await ok("/api/v1/services", { slug: SLUG_64_TWIN, name: NAME_63, team: TEAM_64 });
  await ok("/api/v1/services", { slug: SLUG_63, name: "Sixty-three", team: "payments" });
  const slo = (service: string, name: string, extra: object = {}) =>
    ok("/api/v1/slos", {
      service,
      name,
      sli: { type: "availability" },
      objectivePercent: 99.9,
      window: { type: "rolling", days: 28 },
      ...extra,
    });
  await slo(SLUG_64, NAME_200, { description: DESC_4000 });
  await slo(SLUG_64, `${NAME_200.slice(0, 199)}2`, {
    alerting: { disabledTiers: ["fast-page", "slow-page", "fast-ticket", "slow-ticket"] },
  });
  await slo(SLUG_64_TWIN, NAME_63, { budgetingMethod: "timeslices" });
  await slo(SLUG_63, "x".repeat(64), { window: { type: "calendar", period: "4w", timeZone: "Asia/Tokyo" } });
}

async function exportYaml(s: Stack): Promise<string> {
  const res = await s.app.inject({
    method: "GET",
    url: "/api/v1/openslo/export",
    headers: { authorization: `Bearer ${s.token}` },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.body;
}
async function importYaml(s: Stack, yaml: string) {
  const res = await s.app.inject({
    method: "POST",
    url: "/api/v1/openslo/import",
    headers: { authorization: `Bearer ${s.token}`, "content-type": "application/yaml" },
    payload: yaml,
  });
  return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, any> };
}
const docsOf = (yaml: string) => parseAllDocuments(yaml).map((d) => (d as { toJS(): unknown }).toJS());

describe("the Go SDK's v1 rules, as written here", () => {
  it("catch what the export used to write", () => {
    const policy = {
      apiVersion: "openslo/v1",
      kind: "AlertPolicy",
      metadata: { name: "p", displayName: "x".repeat(64) },
      spec: {
        description: "y".repeat(1051),
        conditions: [{ conditionRef: "c" }],
        notificationTargets: [],
      },
    };
    const service = { apiVersion: "openslo/v1", kind: "Service", metadata: { name: SLUG_64 }, spec: {} };
    expect(goSdkViolations([policy, service])).toEqual([
      "document 1: metadata.displayName: is 64 characters, over 63",
      "document 1: spec.description: is 1051 characters, over 1050",
      "document 1: spec.notificationTargets: must hold at least 1 target",
      "document 1: spec.conditions[0].conditionRef: names no AlertCondition c of the file",
      `document 2: metadata.name: "${SLUG_64}" is not a DNS-1123 label of at most 63 characters`,
    ]);
  });
});

describe("OpenSLO export at every length limit", () => {
  let a: Stack;
  let b: Stack;
  beforeAll(async () => {
    [a, b] = await Promise.all([startStack(), startStack()]);
    await seedCatalog((m, p, body) => call(a, m, p, body));
    await seedLimits(a);
  });
  afterAll(async () => {
    for (const s of [a, b]) expect(s?.statuses.filter((x) => x >= 500)).toEqual([]);
    await a?.stop();
    await b?.stop();
  });

  it("passes the Go SDK's v1 rules, document by document", async () => {
    const yaml = await exportYaml(a);
    const docs = docsOf(yaml);
    // 3 targets, 5 services, 8 SLIs, 8 SLOs, 25 policies (one per enabled tier)
    expect(docs.length).toBe(49);
    expect(goSdkViolations(docs)).toEqual([]);
    // what the limits made the export write
    expect(yaml).toContain(`burnrate.io/slug: ${SLUG_64}\n`);
    expect(yaml).toContain(`burnrate.io/slug: ${SLUG_64_TWIN}\n`);
    expect(yaml).not.toContain(`burnrate.io/slug: ${SLUG_63}`);
    expect(yaml).toContain(`burnrate.io/name: ${NAME_200}\n`);
    expect(yaml).toContain(`displayName: ${Array.from(NAME_200).slice(0, 62).join("")}…\n`);
    expect(yaml).toContain(`displayName: ${NAME_63}\n`);
    expect(yaml).toContain("burnrate.io/alerting: none");
    expect(yaml).toContain("target: burnrate");
  });

  it("round-trips byte for byte: export → import → export", async () => {
    const yaml1 = await exportYaml(a);
    const into = await importYaml(b, yaml1);
    expect(into.status, JSON.stringify(into.body)).toBe(200);
    expect(into.body.warnings).toEqual([]);
    expect(into.body.summary).toEqual({ created: 16, updated: 0, unchanged: 0 }); // 3 teams, 5 services, 8 SLOs
    const yaml2 = await exportYaml(b);
    expect(yaml2).toBe(yaml1);
    const back = await importYaml(a, yaml1);
    expect(back.body.changed).toBe(false);

    const svc = (await call(b, "GET", `/api/v1/services/${SLUG_64}`)).body as Record<string, unknown>;
    expect(svc).toMatchObject({ slug: SLUG_64, name: NAME_200, team: TEAM_64, description: DESC_2000 });
    const slos = (await call(b, "GET", "/api/v1/slos")).body as unknown as Record<string, any>[];
    expect(slos.find((s) => s.name === NAME_200)).toMatchObject({ service: SLUG_64, description: DESC_4000 });
    expect(slos.find((s) => s.name === `${NAME_200.slice(0, 199)}2`)?.alerting).toEqual({
      disabledTiers: ["fast-page", "slow-page", "fast-ticket", "slow-ticket"],
    });
  });
});
