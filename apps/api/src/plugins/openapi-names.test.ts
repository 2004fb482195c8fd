import { describe, expect, it } from "vitest";
import { operationIdOf, summaryOf, tagOf } from "./openapi-names";

describe("OpenAPI names derived from method and path", () => {
  const cases: [string, string, { listsItems: boolean; creates: boolean }, string, string][] = [
    ["GET", "/api/v1/slos", { listsItems: true, creates: false }, "getSlos", "List SLOs"],
    ["POST", "/api/v1/slos", { listsItems: false, creates: true }, "postSlos", "Create SLO"],
    ["GET", "/api/v1/slos/:id", { listsItems: false, creates: false }, "getSlosById", "Get SLO"],
    [
      "GET",
      "/api/v1/slos/:id/status",
      { listsItems: false, creates: false },
      "getSlosByIdStatus",
      "Get SLO status",
    ],
    [
      "DELETE",
      "/api/v1/teams/:slug/members/:email",
      { listsItems: false, creates: false },
      "deleteTeamsBySlugMembersByEmail",
      "Delete team member",
    ],
    [
      "POST",
      "/api/v1/alerts/:id/ack",
      { listsItems: false, creates: false },
      "postAlertsByIdAck",
      "Ack alert",
    ],
    [
      "PUT",
      "/api/v1/teams/:slug/policy",
      { listsItems: false, creates: false },
      "putTeamsBySlugPolicy",
      "Set team policy",
    ],
    [
      "GET",
      "/api/v1/users/:id/ical",
      { listsItems: false, creates: false },
      "getUsersByIdIcal",
      "Get user iCal",
    ],
    ["POST", "/v1/traces", { listsItems: false, creates: false }, "postTraces", "Traces"],
  ];
  it.each(cases)("%s %s", (method, url, facts, id, summary) => {
    expect(operationIdOf(method, url)).toBe(id);
    expect(summaryOf(method, url, facts)).toBe(summary);
  });

  it("tags a route by its first segment after the version", () => {
    expect(tagOf("/api/v1/slos/:id")).toBe("slos");
    expect(tagOf("/v1/traces")).toBe("traces");
  });
});
