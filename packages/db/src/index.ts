export { createDb, inTransaction, sqlRows, sqlTransaction, Prisma, type Db, type SqlQuery } from "./client";
export type { Alert } from "./generated/prisma/client";
export { deployMigrations, ensureDatabase, listMigrations } from "./migrate";
export {
  upsertRollups,
  ensureRollupDays,
  foldOldRollups,
  ensureRollupPartitions,
  type RollupRow,
  type RollupTable,
  type FoldResult,
} from "./request-rollups";
export { oldestRollupMs, lastFoldedHourMs } from "./rollup-bounds";
export { MINUTE_RETENTION_MS, HOUR_RETENTION_MS } from "./retention";
export {
  minuteDetailFromMs,
  recomputeSli,
  rebuildSliHours,
  storeSliMinutes,
  storeSliMinutesFrom,
  storeSliHours,
  deleteSliStatements,
  cumulativeCounts,
  sampledSums,
  sampledSumsPerRegion,
  sloRegions,
  regionsOfSlos,
  firstDataMs,
  loadSliSeries,
  foldOldSliMinutes,
  type SliTarget,
  type RecomputeRange,
  type SliMinuteRow,
  type CumulativeQuery,
  type RegionInstants,
  type SloRegionData,
  type DenseSeries,
} from "./sli-store";
export { sliAggregateSql, excludedMaintenanceSql } from "./sli-sql";
export { toSloResponse, sloSnapshot, toSloModel, alertSnapshotOf, type SloWithService } from "./slo-mapper";
export { previewSliSeries, type PreviewTarget } from "./preview";
