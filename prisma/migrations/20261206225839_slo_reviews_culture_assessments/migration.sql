-- AlterTable
ALTER TABLE "slos" ADD COLUMN     "review_every_days" INTEGER NOT NULL DEFAULT 91;

-- CreateTable
CREATE TABLE "slo_reviews" (
    "id" UUID NOT NULL,
    "slo_id" UUID NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "objective_before" DOUBLE PRECISION NOT NULL,
    "objective_after" DOUBLE PRECISION NOT NULL,
    "version" INTEGER NOT NULL,
    "reviewed_by" TEXT NOT NULL,
    "reviewed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slo_reviews_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "culture_assessments" (
    "team_id" UUID NOT NULL,
    "quarter" TEXT NOT NULL,
    "cooperation" INTEGER NOT NULL,
    "messengers" INTEGER NOT NULL,
    "responsibilities" INTEGER NOT NULL,
    "bridging" INTEGER NOT NULL,
    "failure" INTEGER NOT NULL,
    "novelty" INTEGER NOT NULL,
    "note" TEXT,
    "answered_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "culture_assessments_pkey" PRIMARY KEY ("team_id","quarter")
);

-- CreateIndex
CREATE INDEX "slo_reviews_slo_id_reviewed_at_idx" ON "slo_reviews"("slo_id", "reviewed_at");

-- AddForeignKey
ALTER TABLE "slo_reviews" ADD CONSTRAINT "slo_reviews_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "culture_assessments" ADD CONSTRAINT "culture_assessments_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;
