-- AlterTable
ALTER TABLE "schedules" ADD COLUMN     "service_ids" UUID[] DEFAULT ARRAY[]::UUID[];
