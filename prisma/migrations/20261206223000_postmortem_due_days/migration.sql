-- AlterTable
ALTER TABLE "postmortem_settings" ADD COLUMN "due_days" INTEGER NOT NULL DEFAULT 3;
