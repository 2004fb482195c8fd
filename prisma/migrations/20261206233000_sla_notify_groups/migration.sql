-- AlterTable
ALTER TABLE "slas" ADD COLUMN "notify_group_ids" UUID[] DEFAULT ARRAY[]::UUID[];
