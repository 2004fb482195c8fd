import { LATENCY_BUCKETS, latencyBucket } from "../../packages/contracts/src/index.ts";
import { upsertRollups, type RollupRow } from "../../packages/db/src/index.ts";
import { HOUR_MS, periodAt, previousPeriods } from "../../packages/slo-core/src/index.ts";
import { call, type Stack } from "../../apps/api/test/harness";
import { BOOK_PLAN, LATENCY_MS, solvePeriod, type Ep } from "../../apps/api/test/sla-book-traffic";

const WINDOW = { type: "calendar", period: "4w", timeZone: "UTC" } as const;
export const BOOK_SLA_NAME = "Data roundtrip under 15 seconds for 90% of workflows";

/**
 * The book's SLA sample (§11.2.7–11.2.8) on the history stack: the three 4-week periods before the current one
 * hold the book's periods 1–3 (apps/api/test/sla-book-traffic.ts), the current one its quiet start. Plus an
 * availability SLA over the Affiliations service, looser than its SLO, whose objective the SLO page draws beside
 * the SLO's.
 */
export async function seedSlas(stack: Stack, nowMs: number): Promise<void> {
  await call(stack, "POST", "/api/v1/teams", { slug: "team-1", name: "Team 1" });
  await call(stack, "POST", "/api/v1/teams", { slug: "team-2", name: "Team 2" });
  await call(stack, "POST", "/api/v1/services", { slug: "service-1", name: "Service 1", team: "team-1" });
  await call(stack, "POST", "/api/v1/services", { slug: "service-2", name: "Service 2", team: "team-2" });
  const s1Get = "GET /tenant/{id}/studies/{id}/attachments";
  const s2Status = "GET /tenant/{id}/query/{id}/status";
  const created = await call(stack, "POST", "/api/v1/slas", {
    name: BOOK_SLA_NAME,
    services: ["service-1", "service-2"],
    sli: { type: "latency", thresholdMs: 15_000 },
    objectivePercent: 90,
    window: WINDOW,
    tiers: [
      { name: "gold", objectivePercent: 95 },
      { name: "silver", objectivePercent: 90 },
    ],
    credits: "10% of the monthly fee per broken period",
    customers: "All tenants on the standard contract",
    children: [
      {
        service: "service-1",
        endpoint: s1Get,
        objectivePercent: 96,
        sli: { type: "latency", thresholdMs: 5000 },
      },
      {
        service: "service-2",
        endpoint: s2Status,
        objectivePercent: 93,
        sli: { type: "latency", thresholdMs: 3000 },
      },
    ],
  });
  if (created.status !== 201) throw new Error(`book SLA: ${JSON.stringify(created.body)}`);
  const affil = await call(stack, "POST", "/api/v1/slas", {
    name: "Affiliations available 97% per month",
    services: ["affil"],
    objectivePercent: 97,
    window: { type: "calendar", period: "month", timeZone: "UTC" },
    customers: "Partner integrations",
  });
  if (affil.status !== 201) throw new Error(`affil SLA: ${JSON.stringify(affil.body)}`);

  const region =
    (await stack.db.region.findUnique({ where: { slug: "prod-us" } })) ??
    (await stack.db.region.create({ data: { slug: "prod-us", name: "prod-us" } }));
  const services = await stack.db.service.findMany({
    where: { slug: { in: ["service-1", "service-2"] } },
    include: { endpoints: true },
  });
  const s1 = services.find((s) => s.slug === "service-1")!;
  const s2 = services.find((s) => s.slug === "service-2")!;
  const post = await stack.db.endpoint.create({
    data: { serviceId: s1.id, method: "POST", route: "/tenant/{id}/studies/{id}/attachments" },
  });
  const where: Record<Ep, { serviceId: string; endpointId: string }> = {
    s1Get: { serviceId: s1.id, endpointId: s1.endpoints.find((e) => e.method === "GET")!.id },
    s2Status: { serviceId: s2.id, endpointId: s2.endpoints[0]!.id },
    s1Post: { serviceId: s1.id, endpointId: post.id },
  };
  const starts = [periodAt(WINDOW, nowMs), ...previousPeriods(WINDOW, nowMs, 3)]
    .reverse()
    .map((p) => p.startMs);
  const rows: RollupRow[] = [];
  BOOK_PLAN.forEach((plan, i) => {
    for (const r of solvePeriod(plan)) {
      const minuteMs = starts[i]! + r.hour * HOUR_MS;
      if (minuteMs >= nowMs) continue;
      const latency = new Array<number>(LATENCY_BUCKETS).fill(0);
      latency[latencyBucket(LATENCY_MS[r.latency])] = r.count;
      rows.push({
        ...where[r.endpoint],
        regionId: region.id,
        minuteMs,
        status: 200,
        count: r.count,
        latency,
      });
    }
  });
  await upsertRollups(stack.db, rows);
}
