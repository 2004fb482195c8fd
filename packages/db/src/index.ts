export { createDb, inTransaction, Prisma, type Db } from "./client";
export { deployMigrations, ensureDatabase, listMigrations } from "./migrate";
export {
  upsertRollups,
  recomputeSliMinutes,
  loadMinuteSeries,
  loadFoldedSeries,
  sloRegions,
  firstDataMs,
  foldOldMinutes,
  loadSliSeries,
  MINUTE_RETENTION_MS,
  HOUR_RETENTION_MS,
  type RetentionResult,
  type RollupRow,
  type SliTarget,
  type DenseSeries,
} from "./rollups";
export { toSloResponse, sloSnapshot, toSloModel, alertSnapshotOf, type SloWithService } from "./slo-mapper";
export { previewSliSeries, type PreviewTarget } from "./preview";
