import { AppError } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import type { Actor, Scope } from "./actor";
import {
  assertAdmin,
  assertCanCreateTeam,
  assertCanCreateToken,
  assertCanDeleteTeam,
  assertCanRevokeToken,
  assertCanWriteOwner,
  assertCanWriteTeam,
  canIngestTeam,
  hasPermission,
  isAdmin,
  type Permission,
} from "./permissions";

const ALPHA = "team-alpha";
const BETA = "team-beta";

const user = (id: string, opts: { isAdmin?: boolean; editorOf?: string[] } = {}): Actor => ({
  kind: "user",
  id,
  label: `${id}@example.com`,
  isAdmin: opts.isAdmin ?? false,
  editorOf: new Set(opts.editorOf ?? []),
  viaCookie: true,
});
const token = (id: string, scopes: Scope[], teamId: string | null = null): Actor => ({
  kind: "token",
  id,
  label: `token:${id}`,
  scopes: new Set(scopes),
  teamId,
});

/** The roles of the authorization matrix, as the services see them (resources belong to team alpha). */
const ROLES = {
  anonymous: null,
  viewer: user("viewer"), // a viewer of alpha: membership without the editor role grants no writes
  otherEditor: user("other-editor", { editorOf: [BETA] }),
  ownEditor: user("own-editor", { editorOf: [ALPHA] }),
  admin: user("admin", { isAdmin: true }),
  tokRead: token("read", ["read"]),
  tokWrite: token("write", ["write"]),
  tokWriteTeam: token("write-alpha", ["write"], ALPHA),
  tokIngest: token("ingest", ["ingest"]),
  tokHistory: token("history", ["history:write"]),
  tokAdmin: token("admin", ["admin"]),
} satisfies Record<string, Actor | null>;
type Role = keyof typeof ROLES;
const ALL = Object.keys(ROLES) as Role[];

/** "ok", or the error code the rule throws (unauthorized / forbidden). */
function outcome(check: () => void): string {
  try {
    check();
    return "ok";
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

/** Expands "these roles pass" into one row per role. */
function rows(allowed: Role[], refused: Record<string, string> | string = "forbidden") {
  return ALL.map((role) => ({
    role,
    expected: allowed.includes(role)
      ? "ok"
      : typeof refused === "string"
        ? refused
        : (refused[role] ?? "forbidden"),
  }));
}

describe("hasPermission: the permission a route declares", () => {
  const signedIn = ALL.filter((r) => r !== "anonymous");
  const allowed: Record<Permission, Role[]> = {
    read: ["viewer", "otherEditor", "ownEditor", "admin", "tokRead", "tokWrite", "tokWriteTeam", "tokAdmin"],
    write: ["viewer", "otherEditor", "ownEditor", "admin", "tokWrite", "tokWriteTeam", "tokAdmin"],
    ingest: ["admin", "tokIngest", "tokAdmin"],
    "history:write": ["admin", "tokHistory", "tokAdmin"],
    admin: ["admin", "tokAdmin"],
  };
  it.each(
    (Object.keys(allowed) as Permission[]).flatMap((need) =>
      signedIn.map((role) => ({ need, role, expected: allowed[need].includes(role) })),
    ),
  )("$role needing '$need': $expected", ({ need, role, expected }) => {
    expect(hasPermission(ROLES[role]!, need)).toBe(expected);
  });
});

describe("assertCanWriteTeam: changing what team alpha owns", () => {
  it.each(
    rows(["ownEditor", "admin", "tokWrite", "tokWriteTeam", "tokAdmin"], { anonymous: "unauthorized" }),
  )("$role: $expected", ({ role, expected }) => {
    expect(outcome(() => assertCanWriteTeam(ROLES[role], ALPHA))).toBe(expected);
  });

  it.each([
    { role: "viewer", message: "only editors of the owning team or org admins can change this" },
    { role: "otherEditor", message: "only editors of the owning team or org admins can change this" },
    { role: "tokRead", message: "this token cannot change another team's resources" },
    { role: "tokIngest", message: "this token cannot change another team's resources" },
  ] as const)("$role is told: $message", ({ role, message }) => {
    expect(() => assertCanWriteTeam(ROLES[role], ALPHA)).toThrow(message);
  });

  it("a token bound to alpha cannot change beta's things", () => {
    expect(outcome(() => assertCanWriteTeam(ROLES.tokWriteTeam, BETA))).toBe("forbidden");
    expect(outcome(() => assertCanWriteTeam(ROLES.otherEditor, BETA))).toBe("ok");
  });
});

describe("assertCanWriteOwner: team things need the team, org-wide things an admin", () => {
  it.each(
    rows(["ownEditor", "admin", "tokWrite", "tokWriteTeam", "tokAdmin"], { anonymous: "unauthorized" }),
  )("owned by alpha, $role: $expected", ({ role, expected }) => {
    expect(outcome(() => assertCanWriteOwner(ROLES[role], ALPHA, "org-wide"))).toBe(expected);
  });
  it.each(rows(["admin", "tokAdmin"]))("org-wide, $role: $expected", ({ role, expected }) => {
    expect(outcome(() => assertCanWriteOwner(ROLES[role], null, "org-wide"))).toBe(expected);
  });
  it("names the org-wide refusal", () => {
    expect(() => assertCanWriteOwner(ROLES.ownEditor, null, "only admins can do this")).toThrow(
      "only admins can do this",
    );
  });
});

describe("isAdmin / assertAdmin: org administration", () => {
  it.each(rows(["admin", "tokAdmin"]))("$role: $expected", ({ role, expected }) => {
    expect(isAdmin(ROLES[role])).toBe(expected === "ok");
    expect(outcome(() => assertAdmin(ROLES[role], "change regions"))).toBe(expected);
  });
  it("says what needed an admin", () => {
    expect(() => assertAdmin(ROLES.ownEditor, "change regions")).toThrow(
      "only org admins can change regions",
    );
  });
});

describe("canIngestTeam: sending traffic for alpha's services", () => {
  it.each(rows(["admin", "tokIngest", "tokAdmin"]))("$role: $expected", ({ role, expected }) => {
    expect(canIngestTeam(ROLES[role], ALPHA)).toBe(expected === "ok");
  });
  it("an ingest token bound to a team ingests only for that team", () => {
    const bound = token("ingest-alpha", ["ingest"], ALPHA);
    expect(canIngestTeam(bound, ALPHA)).toBe(true);
    expect(canIngestTeam(bound, BETA)).toBe(false);
  });
  it("history:write is a scope of its own: it imports history and does not ingest live traffic", () => {
    expect(canIngestTeam(ROLES.tokHistory, ALPHA, "history:write")).toBe(true);
    expect(canIngestTeam(ROLES.tokHistory, ALPHA)).toBe(false);
    expect(canIngestTeam(ROLES.tokIngest, ALPHA, "history:write")).toBe(false);
    const bound = token("history-alpha", ["history:write"], ALPHA);
    expect(canIngestTeam(bound, BETA, "history:write")).toBe(false);
  });
});

describe("team creation and deletion", () => {
  it.each(
    rows(["admin", "tokRead", "tokWrite", "tokIngest", "tokHistory", "tokAdmin"], {
      anonymous: "unauthorized",
    }),
  )("create, $role: $expected", ({ role, expected }) => {
    // Routes let only write-permission callers this far: read and ingest tokens never reach the rule.
    expect(outcome(() => assertCanCreateTeam(ROLES[role]))).toBe(expected);
  });
  it.each([
    { role: "ownEditor", message: "only org admins create teams" },
    { role: "tokWriteTeam", message: "a team-bound token cannot create teams" },
  ] as const)("$role is told: $message", ({ role, message }) => {
    expect(() => assertCanCreateTeam(ROLES[role])).toThrow(message);
  });
  it.each(rows(["admin", "tokAdmin"]))("delete, $role: $expected", ({ role, expected }) => {
    expect(outcome(() => assertCanDeleteTeam(ROLES[role]))).toBe(expected);
  });
});

describe("API tokens", () => {
  it.each(
    rows(["ownEditor", "admin", "tokWrite", "tokWriteTeam", "tokAdmin"], { anonymous: "unauthorized" }),
  )("a write token for alpha, created by $role: $expected", ({ role, expected }) => {
    expect(outcome(() => assertCanCreateToken(ROLES[role], { scopes: ["write"], teamId: ALPHA }))).toBe(
      expected,
    );
  });
  it.each([
    { what: "an admin token for alpha", scopes: ["admin"], teamId: ALPHA },
    { what: "a global read token", scopes: ["read"], teamId: null },
  ])("$what needs an org admin", ({ scopes, teamId }) => {
    for (const { role, expected } of rows(["admin", "tokAdmin"]))
      expect(
        outcome(() => assertCanCreateToken(ROLES[role], { scopes, teamId })),
        role,
      ).toBe(expected);
    expect(() => assertCanCreateToken(ROLES.ownEditor, { scopes, teamId })).toThrow(
      "only org admins can create admin or global tokens",
    );
  });

  it.each(rows(["ownEditor", "admin", "tokAdmin"]))(
    "a token created by own-editor, revoked by $role: $expected",
    ({ role, expected }) => {
      expect(outcome(() => assertCanRevokeToken(ROLES[role], { userId: "own-editor" }))).toBe(expected);
    },
  );
  it("a token revokes only with an admin scope, even itself", () => {
    expect(() => assertCanRevokeToken(ROLES.tokWrite, { userId: null })).toThrow(
      "only the token's creator or an org admin can revoke it",
    );
  });
});
