/** What holds an alert's notifications back, and until when. */
export type Suppression = { by: "snooze" | "silence" | "maintenance"; id: string | null; until: Date };

/** The silences and maintenance windows in force at one instant, and the region ids by slug. */
export interface SuppressionSources {
  silences: {
    id: string;
    endsAt: Date;
    teamId: string | null;
    serviceId: string | null;
    sloId: string | null;
    regionKey: string | null;
  }[];
  maintenance: { id: string; serviceId: string; regionId: string | null; endsAt: Date | null }[];
  regionIds: Map<string, string>;
}

/**
 * The silence or maintenance window in force for an alert's SLO × region (the one that ends last). Silences
 * match by team, service, SLO and region (each optional); maintenance windows by service and region (a window
 * with no region covers every region). An all-regions alert ("*") is only covered by region-less entries.
 */
export function findSuppression(
  src: SuppressionSources,
  a: { sloId: string; serviceId: string; teamId: string; regionKey: string },
): Suppression | null {
  const byEnd = <T extends { endsAt: Date | null }>(xs: T[]) =>
    xs.sort((x, y) => (y.endsAt?.getTime() ?? 0) - (x.endsAt?.getTime() ?? 0))[0];
  const silence = byEnd(
    src.silences.filter(
      (x) =>
        (x.teamId === null || x.teamId === a.teamId) &&
        (x.serviceId === null || x.serviceId === a.serviceId) &&
        (x.sloId === null || x.sloId === a.sloId) &&
        (x.regionKey === null || x.regionKey === a.regionKey),
    ),
  );
  if (silence) return { by: "silence", id: silence.id, until: silence.endsAt };
  const regionId = a.regionKey === "*" ? null : (src.regionIds.get(a.regionKey) ?? null);
  const maintenance = byEnd(
    src.maintenance.filter(
      (m) =>
        m.serviceId === a.serviceId &&
        (m.regionId === null || (regionId !== null && m.regionId === regionId)),
    ),
  );
  if (maintenance) return { by: "maintenance", id: maintenance.id, until: maintenance.endsAt! };
  return null;
}

/** What an event's detail records about the suppression in force when it was written (nothing when none). */
export function suppressedDetail(s: Suppression | null): Record<string, unknown> {
  return s ? { suppressed: s.by, suppressedUntil: s.until.toISOString(), suppressionId: s.id } : {};
}

/** What held an event back, read from its detail ("snooze", "silence", "maintenance"), or null if nothing did. */
export function heldBy(detail: unknown): string | null {
  return (detail as { suppressed?: string } | null | undefined)?.suppressed || null;
}
