-- AlterTable
ALTER TABLE "slo_source_states" ADD COLUMN     "counts_at" TIMESTAMPTZ(3),
ADD COLUMN     "window_counts" JSONB;
