/** The Workbook-style example of ../shared/reference/anchors-features.md §4, verbatim. */
export const WORKBOOK_EXAMPLE = `apiVersion: openslo/v1
kind: Service
metadata:
  name: checkout-api
  displayName: Checkout API
  labels:
    team: payments
    region: [eu-west-1, us-east-1]
spec:
  description: Public checkout HTTP API
---
apiVersion: openslo/v1
kind: DataSource
metadata:
  name: platform-logs
spec:
  description: Access logs ingested by the SRE platform worker
  type: sreplatform.logs
  connectionDetails:
    stream: nginx-access
---
apiVersion: openslo/v1
kind: SLI
metadata:
  name: checkout-availability
spec:
  description: Share of checkout requests that did not end in a 5xx
  ratioMetric:
    counter: false
    good:
      metricSource:
        metricSourceRef: platform-logs
        spec:
          filter: 'service = "checkout-api" AND status < 500'
    total:
      metricSource:
        metricSourceRef: platform-logs
        spec:
          filter: 'service = "checkout-api"'
---
apiVersion: openslo/v1
kind: AlertNotificationTarget
metadata:
  name: slack-payments-oncall
spec:
  description: "#payments-oncall Slack channel"
  target: slack
---
apiVersion: openslo/v1
kind: AlertCondition
metadata:
  name: page-fast-burn-1h
  annotations:
    sreplatform.io/short-window: 5m
    sreplatform.io/budget-consumed-percent: "2"
spec:
  description: 2% of a 30d budget used within 1h (14.4x), still burning over 5m
  severity: page
  condition:
    kind: burnrate
    op: gt
    threshold: 14.4
    lookbackWindow: 1h
    alertAfter: 0m
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata:
  name: checkout-page-fast-burn
spec:
  description: Page payments on-call on fast budget burn
  alertWhenBreaching: true
  alertWhenResolved: true
  alertWhenNoData: false
  conditions:
    - conditionRef: page-fast-burn-1h
  notificationTargets:
    - targetRef: slack-payments-oncall
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability-30d
  displayName: Checkout availability (30d rolling)
  labels:
    team: payments
    region: eu-west-1
spec:
  description: 99.9% of checkout requests succeed over a rolling 30 days
  service: checkout-api
  indicatorRef: checkout-availability
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: availability
      target: 0.999
  alertPolicies:
    - alertPolicyRef: checkout-page-fast-burn
`;

/** A team, two services and SLOs covering every SLI type, window kind, budgeting method and alerting form. */
export async function seedCatalog(
  call: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>,
): Promise<void> {
  const ok = async (method: string, path: string, body: unknown) => {
    const r = await call(method, path, body);
    if (r.status !== 201) throw new Error(`${method} ${path} -> ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await ok("POST", "/api/v1/teams", {
    slug: "payments",
    name: "Payments",
    slackChannel: "#team-payments-slo-breaches",
  });
  await ok("POST", "/api/v1/teams", { slug: "search", name: "Search" });
  await ok("POST", "/api/v1/services", {
    slug: "checkout",
    name: "Checkout",
    team: "payments",
    description: "Public checkout HTTP API",
    runbookUrl: "https://runbooks.example.com/checkout",
    failureStatuses: [429, "500-599"],
  });
  await ok("POST", "/api/v1/services", { slug: "finder", name: "Finder", team: "search" });
  await ok("POST", "/api/v1/slos", {
    service: "checkout",
    name: "Cart availability",
    endpoint: "GET /cart",
    sli: { type: "availability" },
    objectivePercent: 99.9,
    window: { type: "rolling", days: 28 },
    priority: "P2",
    journeyStep: "add to cart",
    customerSegment: "all shoppers",
  });
  await ok("POST", "/api/v1/slos", {
    service: "checkout",
    name: "Checkout latency 300 ms",
    description: "Most checkouts are quick",
    sli: { type: "latency", thresholdMs: 300 },
    objectivePercent: 95,
    window: { type: "calendar", period: "month", timeZone: "Europe/Berlin" },
    budgetingMethod: "timeslices",
    alerting: {
      disabledTiers: ["slow-ticket"],
      lowTraffic: { minShortWindowEvents: 20, minLongWindowBad: 5 },
    },
  });
  await ok("POST", "/api/v1/slos", {
    service: "checkout",
    name: "Fast and fine",
    sli: { type: "ratio", good: "status<500 AND durationMs<=800", total: 'route != "/healthz"' },
    objectivePercent: 99.5,
    window: { type: "calendar", period: "4w" },
    runbookUrl: "https://runbooks.example.com/fast",
    alerting: {
      tiers: [
        { name: "hourly", severity: "page", longWindowMinutes: 60, shortWindowMinutes: null, factor: 2 },
        {
          name: "daily share",
          severity: "ticket",
          longWindowMinutes: 1440,
          shortWindowMinutes: 120,
          budgetPercent: 10,
        },
      ],
      noDataMinutes: 30,
    },
  });
  await ok("POST", "/api/v1/slos", {
    service: "finder",
    name: "Search availability",
    sli: { type: "availability" },
    objectivePercent: 99,
    window: { type: "calendar", period: "quarter", timeZone: "Asia/Tokyo" },
  });
}
