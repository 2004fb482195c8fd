-- CreateTable
CREATE TABLE "stakeholder_rings" (
    "id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "groups" TEXT[],
    "slack_channels" TEXT[],
    "emails" TEXT[],
    "escalate_after_minutes" INTEGER,
    "agreed_by" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stakeholder_rings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stakeholder_notifications" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "ring_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "geography" TEXT NOT NULL,
    "products" TEXT[],
    "message" TEXT NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL,
    "next_update_due_at" TIMESTAMPTZ(3),
    "ttr_minutes" DOUBLE PRECISION,
    "trigger" TEXT NOT NULL,
    "author" TEXT NOT NULL,

    CONSTRAINT "stakeholder_notifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "stakeholder_rings_number_key" ON "stakeholder_rings"("number");

-- CreateIndex
CREATE INDEX "stakeholder_notifications_incident_id_ring_id_sent_at_idx" ON "stakeholder_notifications"("incident_id", "ring_id", "sent_at");

-- AddForeignKey
ALTER TABLE "stakeholder_notifications" ADD CONSTRAINT "stakeholder_notifications_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stakeholder_notifications" ADD CONSTRAINT "stakeholder_notifications_ring_id_fkey" FOREIGN KEY ("ring_id") REFERENCES "stakeholder_rings"("id") ON DELETE CASCADE ON UPDATE CASCADE;
