-- CreateTable
CREATE TABLE "slo_source_states" (
    "slo_id" UUID NOT NULL,
    "last_ok_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "last_error_at" TIMESTAMPTZ(3),
    "failures" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slo_source_states_pkey" PRIMARY KEY ("slo_id")
);

-- AddForeignKey
ALTER TABLE "slo_source_states" ADD CONSTRAINT "slo_source_states_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slos"("id") ON DELETE CASCADE ON UPDATE CASCADE;
