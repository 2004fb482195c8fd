export { createDb, inTransaction, Prisma, type Db } from "./client";
export { deployMigrations, ensureDatabase, listMigrations } from "./migrate";
export {
  upsertRollups,
  recomputeSliMinutes,
  loadMinuteSeries,
  sloRegions,
  firstDataMs,
  type RollupRow,
  type SliTarget,
  type DenseSeries,
} from "./rollups";
export { toSloResponse, sloSnapshot, toSloModel, alertSnapshotOf, type SloWithService } from "./slo-mapper";
