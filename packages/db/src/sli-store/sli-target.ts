import type { SliSpec } from "@burnrate/contracts";

/** What the SLI store needs to recompute an SLO from the rollups (built from a stored SLO by LoadedSlo). */
export interface SliTarget {
  sloId: string;
  serviceId: string;
  endpointId: string | null;
  failureStatuses: number[];
  sli: SliSpec;
}
