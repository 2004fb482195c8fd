import { describe, expect, it } from "vitest";
import { findSuppression, heldBy, suppressedDetail, type SuppressionSources } from "./suppression";

const at = (iso: string) => new Date(iso);
const alert = { sloId: "slo-1", serviceId: "svc-1", teamId: "team-1", regionKey: "prod-eu" };
const silence = (over: Partial<SuppressionSources["silences"][number]> = {}) => ({
  id: "sil",
  endsAt: at("2026-03-01T13:00:00Z"),
  teamId: null,
  serviceId: null,
  sloId: null,
  regionKey: null,
  ...over,
});
const maintenance = (over: Partial<SuppressionSources["maintenance"][number]> = {}) => ({
  id: "mnt",
  serviceId: "svc-1",
  regionId: null,
  endsAt: at("2026-03-01T14:00:00Z"),
  ...over,
});
const sources = (s: Partial<SuppressionSources>): SuppressionSources => ({
  silences: [],
  maintenance: [],
  regionIds: new Map([
    ["prod-eu", "r-eu"],
    ["prod-us", "r-us"],
  ]),
  ...s,
});

describe("findSuppression", () => {
  it.each([
    { name: "nothing in force", src: sources({}), regionKey: "prod-eu", expected: null },
    {
      name: "an org-wide silence covers everything",
      src: sources({ silences: [silence()] }),
      regionKey: "prod-eu",
      expected: { by: "silence", id: "sil" },
    },
    {
      name: "a silence of another team does not",
      src: sources({ silences: [silence({ teamId: "team-2" })] }),
      regionKey: "prod-eu",
      expected: null,
    },
    {
      name: "a silence of the alert's service, SLO and region does",
      src: sources({ silences: [silence({ serviceId: "svc-1", sloId: "slo-1", regionKey: "prod-eu" })] }),
      regionKey: "prod-eu",
      expected: { by: "silence", id: "sil" },
    },
    {
      name: "a silence of another region does not",
      src: sources({ silences: [silence({ regionKey: "prod-us" })] }),
      regionKey: "prod-eu",
      expected: null,
    },
    {
      name: "of two silences, the one that ends last",
      src: sources({
        silences: [
          silence({ id: "early", endsAt: at("2026-03-01T12:30:00Z") }),
          silence({ id: "late", endsAt: at("2026-03-01T15:00:00Z") }),
        ],
      }),
      regionKey: "prod-eu",
      expected: { by: "silence", id: "late" },
    },
    {
      name: "a silence wins over a maintenance window",
      src: sources({ silences: [silence()], maintenance: [maintenance()] }),
      regionKey: "prod-eu",
      expected: { by: "silence", id: "sil" },
    },
    {
      name: "a region-less maintenance window covers every region",
      src: sources({ maintenance: [maintenance()] }),
      regionKey: "prod-eu",
      expected: { by: "maintenance", id: "mnt" },
    },
    {
      name: "a maintenance window of the alert's region",
      src: sources({ maintenance: [maintenance({ regionId: "r-eu" })] }),
      regionKey: "prod-eu",
      expected: { by: "maintenance", id: "mnt" },
    },
    {
      name: "a maintenance window of another region does not",
      src: sources({ maintenance: [maintenance({ regionId: "r-us" })] }),
      regionKey: "prod-eu",
      expected: null,
    },
    {
      name: "a maintenance window of another service does not",
      src: sources({ maintenance: [maintenance({ serviceId: "svc-2" })] }),
      regionKey: "prod-eu",
      expected: null,
    },
    {
      name: "an all-regions alert: a regional window does not cover it",
      src: sources({ maintenance: [maintenance({ regionId: "r-eu" })] }),
      regionKey: "*",
      expected: null,
    },
    {
      name: "an all-regions alert: a region-less window does",
      src: sources({ maintenance: [maintenance()] }),
      regionKey: "*",
      expected: { by: "maintenance", id: "mnt" },
    },
  ])("$name", ({ src, regionKey, expected }) => {
    const got = findSuppression(src, { ...alert, regionKey });
    expect(got && { by: got.by, id: got.id }).toEqual(expected);
  });

  it("holds until the suppression ends", () => {
    const endsAt = at("2026-03-01T16:00:00Z");
    expect(findSuppression(sources({ maintenance: [maintenance({ endsAt })] }), alert)?.until).toEqual(
      endsAt,
    );
  });
});

describe("suppressedDetail and heldBy", () => {
  it.each([
    { s: null, detail: {}, held: null },
    {
      s: { by: "snooze" as const, id: null, until: at("2026-03-01T13:00:00Z") },
      detail: { suppressed: "snooze", suppressedUntil: "2026-03-01T13:00:00.000Z", suppressionId: null },
      held: "snooze",
    },
    {
      s: { by: "silence" as const, id: "sil", until: at("2026-03-01T13:00:00Z") },
      detail: { suppressed: "silence", suppressedUntil: "2026-03-01T13:00:00.000Z", suppressionId: "sil" },
      held: "silence",
    },
  ])("$s.by: the detail says what held the event back", ({ s, detail, held }) => {
    expect(suppressedDetail(s)).toEqual(detail);
    expect(heldBy({ severity: "page", ...suppressedDetail(s) })).toBe(held);
  });

  it.each([null, undefined, "text", { severity: "page" }, { suppressed: "" }])(
    "nothing held back %j",
    (detail) => {
      expect(heldBy(detail)).toBeNull();
    },
  );
});
