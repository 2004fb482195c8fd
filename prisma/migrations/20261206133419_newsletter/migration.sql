-- CreateTable
CREATE TABLE "newsletter_settings" (
    "scope" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "weekday" INTEGER NOT NULL DEFAULT 1,
    "time" TEXT NOT NULL DEFAULT '09:00',
    "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    "slack_channel" TEXT,
    "emails" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "newsletter_settings_pkey" PRIMARY KEY ("scope")
);

-- CreateTable
CREATE TABLE "newsletter_issues" (
    "scope" TEXT NOT NULL,
    "week" TEXT NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "content" JSONB NOT NULL,

    CONSTRAINT "newsletter_issues_pkey" PRIMARY KEY ("scope","week")
);
