import { MINUTE_MS } from "@burnrate/slo-core";

/** How often live views refresh while open: status, alerts, the overview, enactments, the release gate. */
export const LIVE_REFRESH_MS = MINUTE_MS / 2;
/** How often an SLO's chart series refreshes (its points are per minute). */
export const SERIES_REFRESH_MS = MINUTE_MS;
