-- CreateTable
CREATE TABLE "receivers" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "url" TEXT,
    "severities" TEXT[],
    "secret" TEXT,
    "secret_hint" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "receivers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "receiver_deliveries" (
    "id" UUID NOT NULL,
    "alert_id" UUID NOT NULL,
    "receiver_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "receiver_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "receivers_team_id_name_key" ON "receivers"("team_id", "name");

-- CreateIndex
CREATE INDEX "receiver_deliveries_status_sent_at_idx" ON "receiver_deliveries"("status", "sent_at");

-- CreateIndex
CREATE UNIQUE INDEX "receiver_deliveries_alert_id_receiver_id_type_key" ON "receiver_deliveries"("alert_id", "receiver_id", "type");

-- AddForeignKey
ALTER TABLE "receivers" ADD CONSTRAINT "receivers_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "receiver_deliveries" ADD CONSTRAINT "receiver_deliveries_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "receiver_deliveries" ADD CONSTRAINT "receiver_deliveries_receiver_id_fkey" FOREIGN KEY ("receiver_id") REFERENCES "receivers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
