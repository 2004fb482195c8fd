-- AlterTable
ALTER TABLE "receiver_deliveries" ADD COLUMN     "last_status" INTEGER,
ALTER COLUMN "alert_id" DROP NOT NULL;

-- AlterTable
ALTER TABLE "receivers" ADD COLUMN     "events" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "webhook_events" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "team_id" UUID NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "payload" JSONB NOT NULL,

    CONSTRAINT "webhook_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "webhook_events_occurred_at_idx" ON "webhook_events"("occurred_at");

-- CreateIndex
CREATE INDEX "receiver_deliveries_receiver_id_created_at_idx" ON "receiver_deliveries"("receiver_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "receiver_deliveries_event_id_receiver_id_key" ON "receiver_deliveries"("event_id", "receiver_id");
