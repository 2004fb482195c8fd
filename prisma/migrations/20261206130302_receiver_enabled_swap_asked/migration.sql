-- AlterTable
ALTER TABLE "receivers" ADD COLUMN     "enabled" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "shift_swaps" ADD COLUMN     "asked_id" UUID,
ADD COLUMN     "declined_at" TIMESTAMPTZ(3),
ADD COLUMN     "declined_by_id" UUID;

-- AddForeignKey
ALTER TABLE "shift_swaps" ADD CONSTRAINT "shift_swaps_asked_id_fkey" FOREIGN KEY ("asked_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shift_swaps" ADD CONSTRAINT "shift_swaps_declined_by_id_fkey" FOREIGN KEY ("declined_by_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
