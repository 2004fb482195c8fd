-- CreateTable
CREATE TABLE "adoption_milestones" (
    "team_id" UUID NOT NULL,
    "phase" TEXT NOT NULL,
    "reached" BOOLEAN NOT NULL DEFAULT false,
    "reached_on" DATE,
    "target_date" DATE,
    "note" TEXT,
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "adoption_milestones_pkey" PRIMARY KEY ("team_id","phase")
);

-- AddForeignKey
ALTER TABLE "adoption_milestones" ADD CONSTRAINT "adoption_milestones_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;
