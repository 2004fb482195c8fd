/**
 * SLI storage. One row per SLO × region × hour in `sli_hours`:
 *  - good/total of the hour;
 *  - minute_good/minute_total: its 60 minutes, while the hour is within MINUTE_RETENTION_MS (retention then
 *    drops them, and the hour's counts stand for its first minute);
 *  - cum_good/cum_total: the running totals of every earlier hour of the SLO × region, so that the counts of
 *    any window are the difference of two running totals (cumulativeCounts), whatever the window's length.
 * `slo_regions` lists the regions where an SLO has data, with its first and last minute of data.
 * Every write goes through one transaction that locks the SLOs' rows (in id order), recomputes the running
 * totals from the first hour it changed, and refreshes `slo_regions`.
 */

export { minuteDetailFromMs } from "../retention";
export type { SliTarget } from "./sli-target";
export { recomputeSli, type RecomputeRange } from "./recompute";
export { rebuildSliHours } from "./rebuild-hours";
export {
  storeSliMinutes,
  storeSliMinutesFrom,
  storeSliHours,
  deleteSliStatements,
  type SliMinuteRow,
} from "./store";
export {
  cumulativeCounts,
  sampledSums,
  sampledSumsPerRegion,
  type CumulativeQuery,
  type RegionInstants,
} from "./running-totals";
export { sloRegions, regionsOfSlos, firstDataMs, type SloRegionData } from "./regions";
export { emptyDenseSeries, loadSliSeries, type DenseSeries } from "./series";
export { foldOldSliMinutes } from "./retention";
