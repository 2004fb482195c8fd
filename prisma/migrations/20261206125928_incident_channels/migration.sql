-- CreateTable
CREATE TABLE "incident_channel_settings" (
    "scope" TEXT NOT NULL,
    "severities" TEXT[],
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "incident_channel_settings_pkey" PRIMARY KEY ("scope")
);

-- CreateTable
CREATE TABLE "incident_channels" (
    "incident_id" UUID NOT NULL,
    "base_name" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "channel_id" TEXT,
    "create_attempts" INTEGER NOT NULL DEFAULT 0,
    "invited" TEXT[],
    "summary_ts" TEXT,
    "summary_pinned" BOOLEAN NOT NULL DEFAULT false,
    "summary_hash" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "incident_channels_pkey" PRIMARY KEY ("incident_id")
);

-- CreateTable
CREATE TABLE "incident_slack_entries" (
    "key" TEXT NOT NULL,
    "incident_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incident_slack_entries_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "incident_channels_channel_id_key" ON "incident_channels"("channel_id");

-- CreateIndex
CREATE INDEX "incident_slack_entries_incident_id_idx" ON "incident_slack_entries"("incident_id");

-- AddForeignKey
ALTER TABLE "incident_channels" ADD CONSTRAINT "incident_channels_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_slack_entries" ADD CONSTRAINT "incident_slack_entries_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;
