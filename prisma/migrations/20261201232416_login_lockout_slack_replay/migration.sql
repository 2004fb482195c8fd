-- CreateTable
CREATE TABLE "login_failures" (
    "email" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "last_failure_at" TIMESTAMPTZ(3) NOT NULL,
    "locked_until" TIMESTAMPTZ(3),

    CONSTRAINT "login_failures_pkey" PRIMARY KEY ("email")
);

-- CreateTable
CREATE TABLE "slack_seen_requests" (
    "signature" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slack_seen_requests_pkey" PRIMARY KEY ("signature")
);

-- CreateIndex
CREATE INDEX "login_failures_last_failure_at_idx" ON "login_failures"("last_failure_at");

-- CreateIndex
CREATE INDEX "slack_seen_requests_expires_at_idx" ON "slack_seen_requests"("expires_at");
