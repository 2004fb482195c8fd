-- AlterTable
ALTER TABLE "slos" ADD COLUMN     "eval_lease_holder" TEXT,
ADD COLUMN     "eval_lease_until" TIMESTAMPTZ(3),
ADD COLUMN     "eval_prev_cycle" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "evaluation_watchdog" (
    "id" TEXT NOT NULL,
    "episode" INTEGER NOT NULL DEFAULT 0,
    "stalled_since" TIMESTAMPTZ(3),
    "notified_episode" INTEGER NOT NULL DEFAULT 0,
    "stall_ts" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "evaluation_watchdog_pkey" PRIMARY KEY ("id")
);
