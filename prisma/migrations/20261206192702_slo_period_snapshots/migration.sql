-- CreateTable
CREATE TABLE "slo_snapshots" (
    "slo_id" UUID NOT NULL,
    "region_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,
    "first_at" TIMESTAMPTZ(3),

    CONSTRAINT "slo_snapshots_pkey" PRIMARY KEY ("slo_id","region_id")
);

-- CreateTable
CREATE TABLE "slo_period_snapshots" (
    "slo_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "region_id" UUID NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "period_end" TIMESTAMPTZ(3) NOT NULL,
    "complete" BOOLEAN NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,
    "analysis" JSONB NOT NULL,

    CONSTRAINT "slo_period_snapshots_pkey" PRIMARY KEY ("slo_id","version","region_id","period_start","period_end")
);

-- CreateIndex
CREATE INDEX "slo_period_snapshots_slo_id_region_id_idx" ON "slo_period_snapshots"("slo_id", "region_id");

-- AddForeignKey
ALTER TABLE "slo_snapshots" ADD CONSTRAINT "slo_snapshots_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slo_period_snapshots" ADD CONSTRAINT "slo_period_snapshots_slo_id_region_id_fkey" FOREIGN KEY ("slo_id", "region_id") REFERENCES "slo_snapshots"("slo_id", "region_id") ON DELETE CASCADE ON UPDATE CASCADE;
