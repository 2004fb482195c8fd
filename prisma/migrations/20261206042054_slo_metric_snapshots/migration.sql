-- CreateTable
CREATE TABLE "slo_metric_snapshots" (
    "slo_id" UUID NOT NULL,
    "region_key" TEXT NOT NULL,
    "evaluated_at" TIMESTAMPTZ(3) NOT NULL,
    "objective" DOUBLE PRECISION NOT NULL,
    "good" DOUBLE PRECISION NOT NULL,
    "bad" DOUBLE PRECISION NOT NULL,
    "sli" DOUBLE PRECISION,
    "remaining" DOUBLE PRECISION NOT NULL,
    "windows" JSONB NOT NULL,
    "page_firing" BOOLEAN NOT NULL,
    "ticket_firing" BOOLEAN NOT NULL,

    CONSTRAINT "slo_metric_snapshots_pkey" PRIMARY KEY ("slo_id","region_key")
);

-- AddForeignKey
ALTER TABLE "slo_metric_snapshots" ADD CONSTRAINT "slo_metric_snapshots_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;
