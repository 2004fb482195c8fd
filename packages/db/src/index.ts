export {
  createDb,
  inTransaction,
  poolQuery,
  sqlRows,
  sqlTransaction,
  Prisma,
  type Db,
  type CopyIn,
  type PreparedSql,
  type SqlQuery,
} from "./client";
export { dbTrouble, isDbUnavailable, isUniqueViolation, type DbTrouble } from "./errors";
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
export { SLO_INCLUDE, parseSloSpec, type SloWithService, type SloSpec } from "./slos/slo-row";
export { LoadedSlo } from "./slos/loaded-slo";
export { loadSlo, loadSlos, loadServiceSlos, loadTeamSlos, findSlos } from "./slos/load-slos";
export { toSloResponse, sloSnapshot } from "./slos/to-slo-response";
export { toSloModel, type SloModelInput } from "./slos/to-slo-model";
export { alertSnapshotOf } from "./alert-snapshot";
export { previewSliSeries, type PreviewTarget } from "./preview";
export {
  listScheduleRows,
  loadScheduleRow,
  owningTeamIds,
  scheduleModel,
  scheduleModels,
  type ScheduleRow,
  type StoredWindow,
} from "./schedules/load-schedule";
export { routeOncall, type RoutedOncall } from "./schedules/route-oncall";
export {
  ALL_REGIONS_KEY,
  replaceMetricSnapshots,
  readMetricSnapshots,
  metricSnapshotStamp,
  type MetricSnapshot,
  type LabelledMetricSnapshot,
} from "./metric-snapshots";
export { loadSlaSeries, type SlaSeriesTarget } from "./sla-series";
export {
  createSecretBox,
  isSealed,
  NO_SECRET_KEY_IN_PRODUCTION,
  parsePreviousSecretKeys,
  parseSecretKey,
  previousSecretKeysSettingProblem,
  secretKeyId,
  secretKeySettingProblem,
  secretKeySettingsProblems,
  sealPlaintextSecrets,
  SecretKeyError,
  SEALED_PREFIX,
  SEALED_PREFIXES,
  type SecretBox,
} from "./secret-box";
export {
  countSecretsToRotate,
  DEFAULT_ROTATION_BATCH,
  rotateSecrets,
  SEALED_COLUMNS,
  type RotationCounts,
  type RotationProgress,
  type UnreadableSecret,
} from "./rotate-secrets";
export {
  dropSloSnapshot,
  snapshotAnalyses,
  snapshotHeaders,
  snapshotKey,
  writeSloSnapshot,
  type RegionSnapshot,
  type SnapshotAnalysis,
  type SnapshotHeader,
} from "./period-snapshots";
export { endpointStatsCounts, type EndpointStatsCounts, type EndpointStatsFilter } from "./endpoint-stats";
export { stakeholderRecipients, type StakeholderRecipients } from "./stakeholders";
export { policyEnactedPayload, recordEnactmentEvent, recordWebhookEvent } from "./webhook-events";
