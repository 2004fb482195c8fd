-- CreateTable
CREATE TABLE "endpoint_stats_snapshot_runs" (
    "window_kind" TEXT NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,
    "span_start" TIMESTAMPTZ(3) NOT NULL,
    "span_end" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "endpoint_stats_snapshot_runs_pkey" PRIMARY KEY ("window_kind")
);

-- CreateTable
CREATE TABLE "endpoint_stats_snapshots" (
    "window_kind" TEXT NOT NULL,
    "service_id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "region_id" UUID NOT NULL,
    "total" DOUBLE PRECISION NOT NULL,
    "good" DOUBLE PRECISION NOT NULL,
    "latency" DOUBLE PRECISION[],

    CONSTRAINT "endpoint_stats_snapshots_pkey" PRIMARY KEY ("window_kind","service_id","endpoint_id","region_id")
);
