-- AlterTable
ALTER TABLE "slos" ADD COLUMN "source_auth" JSONB,
ADD COLUMN "source_secret" TEXT;
