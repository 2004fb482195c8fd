-- AlterTable
ALTER TABLE "slo_source_states" ADD COLUMN "history_version" INTEGER,
ADD COLUMN "history_from" TIMESTAMPTZ(3),
ADD COLUMN "history_to" TIMESTAMPTZ(3);
