-- AlterTable
ALTER TABLE "deployments" ADD COLUMN     "author" TEXT,
ADD COLUMN     "ends_at" TIMESTAMPTZ(3),
ADD COLUMN     "exclude_from_budget" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "slos" ADD COLUMN     "default_slo_id" UUID,
ADD COLUMN     "evaluations" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'explicit',
ADD COLUMN     "last_evaluated_cycle" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "default_slos" (
    "id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "sli_type" TEXT NOT NULL,
    "sli" JSONB NOT NULL,
    "objective_percent" DOUBLE PRECISION NOT NULL,
    "window" JSONB NOT NULL,
    "budgeting_method" TEXT NOT NULL DEFAULT 'occurrences',
    "alerting" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "default_slos_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "silences" (
    "id" UUID NOT NULL,
    "team_id" UUID,
    "service_id" UUID,
    "slo_id" UUID,
    "region_key" TEXT,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "silences_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "request_rollups_hourly" (
    "service_id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "region_id" UUID NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "status" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "latency" INTEGER[],

    CONSTRAINT "request_rollups_hourly_pkey" PRIMARY KEY ("service_id","hour","endpoint_id","region_id","status")
);

-- CreateTable
CREATE TABLE "sli_hours" (
    "slo_id" UUID NOT NULL,
    "region_id" UUID NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "good" BIGINT NOT NULL,
    "total" BIGINT NOT NULL,

    CONSTRAINT "sli_hours_pkey" PRIMARY KEY ("slo_id","region_id","hour")
);

-- CreateIndex
CREATE UNIQUE INDEX "default_slos_service_id_sli_type_key" ON "default_slos"("service_id", "sli_type");

-- CreateIndex
CREATE INDEX "silences_ends_at_idx" ON "silences"("ends_at");

-- CreateIndex
CREATE INDEX "sli_minutes_slo_id_minute_idx" ON "sli_minutes"("slo_id", "minute");

-- CreateIndex
CREATE INDEX "slos_default_slo_id_idx" ON "slos"("default_slo_id");

-- AddForeignKey
ALTER TABLE "slos" ADD CONSTRAINT "slos_default_slo_id_fkey" FOREIGN KEY ("default_slo_id") REFERENCES "default_slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "default_slos" ADD CONSTRAINT "default_slos_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;
