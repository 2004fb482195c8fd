/**
 * The demo's SRE practice beside its catalog, through the API: an SLA over the payments services, a public status
 * page, and one incident carried from the first update to resolved (with its public updates). Each is looked up
 * by name first, so a second run creates nothing.
 */
import { MINUTE_MS } from "../../packages/slo-core/src/time-units.ts";
import { call, type Api } from "./api-client.ts";

const SLA_NAME = "Checkout and payments contract";
const STATUS_SLUG = "shop";
const INCIDENT_TITLE = "Checkout errors in prod-eu after a payments deployment";

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
        message: "Checkout answers 5xx for part of the requests in prod-eu. We are looking into it.",
        public: true,
      },
    });
    const steps: { state: string; message: string }[] = [
      {
        state: "identified",
        message:
          "The payments-api release 2.14.0 rejects saved cards. Rolling back; next update within 30 min.",
      },
      {
        state: "monitoring",
        message: "Rolled back to 2.13.4. Error rates are back to normal; we keep watching.",
      },
      { state: "resolved", message: "Checkout has been healthy for 20 minutes. A postmortem follows." },
    ];
    for (const s of steps)
      await call(api, "POST", `/api/v1/incidents/${body.id}/updates`, { json: { ...s, public: true } });
    created.push("incident");
  }
  return { created, existing };
}
