-- CreateTable
CREATE TABLE "service_regions" (
    "service_id" UUID NOT NULL,
    "region_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_regions_pkey" PRIMARY KEY ("service_id","region_id")
);

-- CreateTable
CREATE TABLE "ingest_idempotency" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "body_hash" TEXT NOT NULL,
    "status" INTEGER,
    "response" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ingest_idempotency_pkey" PRIMARY KEY ("scope","key")
);

-- CreateIndex
CREATE INDEX "service_regions_region_id_idx" ON "service_regions"("region_id");

-- CreateIndex
CREATE INDEX "ingest_idempotency_created_at_idx" ON "ingest_idempotency"("created_at");

-- AddForeignKey
ALTER TABLE "service_regions" ADD CONSTRAINT "service_regions_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_regions" ADD CONSTRAINT "service_regions_region_id_fkey" FOREIGN KEY ("region_id") REFERENCES "regions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The regions each service already has traffic in (minute and hour rollups).
INSERT INTO "service_regions" ("service_id", "region_id")
SELECT DISTINCT service_id, region_id FROM request_rollups
UNION
SELECT DISTINCT service_id, region_id FROM request_rollups_hourly
ON CONFLICT DO NOTHING;
