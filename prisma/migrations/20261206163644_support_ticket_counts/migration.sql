-- CreateTable
CREATE TABLE "support_ticket_counts" (
    "service_id" UUID NOT NULL,
    "month" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "support_ticket_counts_pkey" PRIMARY KEY ("service_id","month")
);

-- AddForeignKey
ALTER TABLE "support_ticket_counts" ADD CONSTRAINT "support_ticket_counts_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;
