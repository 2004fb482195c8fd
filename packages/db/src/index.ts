export { createDb, inTransaction, Prisma, type Db } from "./client";
export { deployMigrations, ensureDatabase, listMigrations } from "./migrate";
export { upsertRollups, foldOldRollups, type RollupRow } from "./request-rollups";
export { MINUTE_RETENTION_MS, HOUR_RETENTION_MS } from "./retention";
export {
  recomputeSliMinutes,
  loadMinuteSeries,
  loadFoldedSeries,
  sloRegions,
  firstDataMs,
  foldOldSliMinutes,
  loadSliSeries,
  type SliTarget,
  type DenseSeries,
} from "./sli-store";
export { toSloResponse, sloSnapshot, toSloModel, alertSnapshotOf, type SloWithService } from "./slo-mapper";
export { previewSliSeries, type PreviewTarget } from "./preview";
