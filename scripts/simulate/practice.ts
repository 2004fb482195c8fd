/**
 * The demo's SRE practice beside its catalog, through the API: an SLA over the payments services, a public status
 * page, one incident carried from the first update to resolved (with its public updates), and on call: the
 * payments team's business-hours rotation, prod-eu's out-of-hours one, and the team's escalation policy; the
 * four stakeholder rings of the book (§8.5), the incident's roles and its first and last message to ring 1. Each
 * is looked up by name (or number) first, so a second run creates nothing.
 */
import { randomBytes } from "node:crypto";
import { DAY_MS, MINUTE_MS } from "../../packages/slo-core/src/time-units.ts";
import { call, type Api } from "./api-client.ts";

const SLA_NAME = "Checkout and payments contract";
const STATUS_SLUG = "shop";
const INCIDENT_TITLE = "Checkout errors in prod-eu after a payments deployment";
const TEAM_SCHEDULE = "Payments business hours";
const REGION_SCHEDULE = "prod-eu out of hours";
const POLICY_NAME = "Payments pages";
/** The demo's on-call people (they sign in only after an admin sets their password). */
const PEOPLE = [
  ["ana.rivera", "Ana Rivera"],
  ["bo.chen", "Bo Chen"],
  ["cy.okafor", "Cy Okafor"],
  ["dee.novak", "Dee Novak"],
].map(([id, name]) => ({ email: `${id}@burnrate.local`, name: name! }));

/** The book's rings in order (§8.5), each told automatically when an incident is still open after its time. */
const RINGS = [
  {
    number: 1,
    name: "Product management",
    groups: ["Product owners and managers"],
    slackChannels: ["#pm-incidents"],
  },
  {
    number: 2,
    name: "Leadership",
    groups: ["Heads of development and operations"],
    slackChannels: ["#leadership"],
    escalateAfterMinutes: 60,
    agreedBy: ["Development", "Operations"],
  },
  {
    number: 3,
    name: "Marketing and sales",
    groups: ["Marketing", "Sales"],
    slackChannels: ["#marketing-sales"],
    escalateAfterMinutes: 120,
    agreedBy: ["Marketing", "Sales", "Communications"],
  },
  {
    number: 4,
    name: "Partners and customers",
    groups: ["Merchants on the Gold plan"],
    escalateAfterMinutes: 240,
    agreedBy: ["Sales", "Legal", "Communications"],
  },
];

const items = <T>(body: unknown): T[] =>
  (Array.isArray(body) ? body : ((body as { items?: unknown[] } | null)?.items ?? [])) as T[];

export async function seedPractice(
  api: Api,
  now = Date.now(),
): Promise<{ created: string[]; existing: string[] }> {
  const created: string[] = [];
  const existing: string[] = [];

  const slas = items<{ name: string }>((await call(api, "GET", "/api/v1/slas")).body);
  if (slas.some((s) => s.name === SLA_NAME)) existing.push(`SLA ${SLA_NAME}`);
  else {
    await call(api, "POST", "/api/v1/slas", {
      json: {
        name: SLA_NAME,
        description: "What the shop's merchants are promised for checkout and payments.",
        services: ["checkout", "payments-api"],
        objectivePercent: 99.5,
        window: { type: "calendar", period: "month", timeZone: "Europe/Berlin" },
        tiers: [
          { name: "Gold", objectivePercent: 99.9 },
          { name: "Silver", objectivePercent: 99.5 },
        ],
        credits: "10% of the monthly fee for each 0.1% below the objective, up to 50%.",
        customers: "Merchants on the Gold and Silver plans",
        children: [{ service: "checkout", endpoint: "POST /checkout", objectivePercent: 99.5 }],
      },
    });
    created.push(`SLA ${SLA_NAME}`);
  }

  const page = await call(api, "POST", "/api/v1/status-pages", {
    json: {
      slug: STATUS_SLUG,
      name: "Shop status",
      components: [
        { name: "Checkout (Europe)", service: "checkout", region: "prod-eu" },
        { name: "Checkout (Americas)", service: "checkout", region: "prod-us" },
        { name: "Payments", service: "payments-api" },
        { name: "Search", service: "search" },
      ],
    },
    okStatuses: [409],
  });
  (page.status === 409 ? existing : created).push(`status page /status/${STATUS_SLUG}`);

  await seedPeople(api);
  const rings = items<{ number: number }>((await call(api, "GET", "/api/v1/stakeholder-rings")).body);
  for (const ring of RINGS) {
    if (rings.some((r) => r.number === ring.number)) existing.push(`stakeholder ring ${ring.number}`);
    else {
      await call(api, "POST", "/api/v1/stakeholder-rings", { json: ring, okStatuses: [409] });
      created.push(`stakeholder ring ${ring.number}`);
    }
  }

  const incidents = items<{ title: string }>((await call(api, "GET", "/api/v1/incidents?limit=500")).body);
  if (incidents.some((i) => i.title === INCIDENT_TITLE)) existing.push("incident");
  else {
    const { body } = await call<{ id: string }>(api, "POST", "/api/v1/incidents", {
      json: {
        title: INCIDENT_TITLE,
        services: ["checkout", "payments-api"],
        regions: ["prod-eu"],
        products: ["Web shop"],
        priority: "P1",
        severity: "critical",
        startedAt: new Date(now - 52 * MINUTE_MS).toISOString(),
        // recorded as it happened: opened (detected and acknowledged) 6 minutes into the impact
        at: new Date(now - 46 * MINUTE_MS).toISOString(),
        message: "Checkout answers 5xx for part of the requests in prod-eu. We are looking into it.",
        public: true,
        roles: {
          commander: PEOPLE[0]!.email,
          communicationsLead: PEOPLE[1]!.email,
          opsLead: PEOPLE[2]!.email,
        },
      },
    });
    const tell = (json: object) =>
      call(api, "POST", `/api/v1/incidents/${body.id}/notifications`, { json: { ring: 1, ...json } });
    await tell({
      kind: "first",
      products: ["Web shop"],
      message: "Card payments at checkout fail for part of the customers in Europe. We are rolling back.",
      nextUpdateInMinutes: 60,
    });
    // The updates at the times they were posted; the resolution now, just before the last message.
    const steps: { state: string; message: string; at?: string }[] = [
      {
        state: "identified",
        at: new Date(now - 38 * MINUTE_MS).toISOString(),
        message:
          "The payments-api release 2.14.0 rejects saved cards. Rolling back; next update within 30 min.",
      },
      {
        state: "monitoring",
        at: new Date(now - 20 * MINUTE_MS).toISOString(),
        message: "Rolled back to 2.13.4. Error rates are back to normal; we keep watching.",
      },
      { state: "resolved", message: "Checkout has been healthy for 20 minutes. A postmortem follows." },
    ];
    for (const s of steps)
      await call(api, "POST", `/api/v1/incidents/${body.id}/updates`, { json: { ...s, public: true } });
    await tell({
      kind: "last",
      products: ["Web shop"],
      message: "Card payments work again after the payments-api rollback. No further messages planned.",
    });
    created.push("incident");
  }

  await seedOncall(api, now, created, existing);
  return { created, existing };
}

/** The Monday of the week holding `ms` (UTC), as YYYY-MM-DD: the rotations' first hand-off. */
function mondayOf(ms: number): string {
  const day = new Date(ms).getUTCDay();
  return new Date(ms - ((day + 6) % 7) * DAY_MS).toISOString().slice(0, 10);
}

/** The demo's people, members of the payments team (before the incident names them in its roles). */
async function seedPeople(api: Api): Promise<void> {
  for (const p of PEOPLE) {
    await call(api, "POST", "/api/v1/users", {
      json: { ...p, password: randomBytes(24).toString("base64url") },
      okStatuses: [409],
    });
    await call(api, "PUT", "/api/v1/teams/payments/members", { json: { email: p.email, role: "editor" } });
  }
}

async function seedOncall(api: Api, now: number, created: string[], existing: string[]): Promise<void> {
  const schedules = items<{ id: string; name: string }>((await call(api, "GET", "/api/v1/schedules")).body);
  const scheduleId = async (name: string, body: object) => {
    const found = schedules.find((x) => x.name === name);
    if (found) {
      existing.push(`schedule ${name}`);
      return found.id;
    }
    const { body: made } = await call<{ id: string }>(api, "POST", "/api/v1/schedules", {
      json: { name, ...body },
    });
    created.push(`schedule ${name}`);
    return made.id;
  };
  const team = await scheduleId(TEAM_SCHEDULE, {
    team: "payments",
    timeZone: "Europe/Berlin",
    rotation: { periodDays: 7, handoff: "09:00", start: mondayOf(now) },
    activeHours: "12x5",
    positions: ["main", "backup"],
    members: PEOPLE.slice(0, 3).map((p) => p.email),
  });
  await scheduleId(REGION_SCHEDULE, {
    region: "prod-eu",
    timeZone: "Europe/Berlin",
    rotation: { periodDays: 7, handoff: "09:00", start: mondayOf(now) },
    positions: ["main", "backup"],
    members: [PEOPLE[3]!.email, PEOPLE[0]!.email],
  });
  const policies = items<{ name: string }>(
    (await call(api, "GET", "/api/v1/escalation-policies?team=payments")).body,
  );
  if (policies.some((x) => x.name === POLICY_NAME)) existing.push(`escalation policy ${POLICY_NAME}`);
  else {
    await call(api, "POST", "/api/v1/escalation-policies", {
      json: {
        name: POLICY_NAME,
        team: "payments",
        repeat: 1,
        teamDefault: true,
        steps: [
          // the team's rotation in business hours, prod-eu's out of hours
          { target: { routed: "main" }, ackTimeoutSeconds: 15 * 60 },
          { target: { schedule: team, position: "backup" }, ackTimeoutSeconds: 15 * 60 },
          { target: { team: "payments" }, ackTimeoutSeconds: 30 * 60 },
        ],
      },
    });
    created.push(`escalation policy ${POLICY_NAME}`);
  }
}
