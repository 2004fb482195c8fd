-- AlterTable
ALTER TABLE "notification_rules" ADD COLUMN     "active_hours" JSONB,
ADD COLUMN     "time_zone" TEXT;
