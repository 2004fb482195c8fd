-- CreateTable
CREATE TABLE "slas" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "sli" JSONB NOT NULL,
    "objective_percent" DOUBLE PRECISION NOT NULL,
    "window" JSONB NOT NULL,
    "tiers" JSONB NOT NULL DEFAULT '[]',
    "credits" TEXT,
    "customers" TEXT,
    "thresholds" INTEGER[] DEFAULT ARRAY[50, 80, 100]::INTEGER[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slas_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sla_services" (
    "sla_id" UUID NOT NULL,
    "service_id" UUID NOT NULL,

    CONSTRAINT "sla_services_pkey" PRIMARY KEY ("sla_id","service_id")
);

-- CreateTable
CREATE TABLE "sla_children" (
    "id" UUID NOT NULL,
    "sla_id" UUID NOT NULL,
    "ord" INTEGER NOT NULL,
    "service_id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "name" TEXT,
    "sli" JSONB NOT NULL,
    "objective_percent" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "sla_children_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sla_notices" (
    "sla_id" UUID NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "threshold" INTEGER NOT NULL,
    "consumed" DOUBLE PRECISION NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sla_notices_pkey" PRIMARY KEY ("sla_id","period_start","threshold")
);

-- CreateIndex
CREATE INDEX "sla_services_service_id_idx" ON "sla_services"("service_id");

-- CreateIndex
CREATE INDEX "sla_children_sla_id_idx" ON "sla_children"("sla_id");

-- AddForeignKey
ALTER TABLE "sla_services" ADD CONSTRAINT "sla_services_sla_id_fkey" FOREIGN KEY ("sla_id") REFERENCES "slas"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sla_services" ADD CONSTRAINT "sla_services_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sla_children" ADD CONSTRAINT "sla_children_sla_id_fkey" FOREIGN KEY ("sla_id") REFERENCES "slas"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sla_children" ADD CONSTRAINT "sla_children_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sla_children" ADD CONSTRAINT "sla_children_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sla_notices" ADD CONSTRAINT "sla_notices_sla_id_fkey" FOREIGN KEY ("sla_id") REFERENCES "slas"("id") ON DELETE CASCADE ON UPDATE CASCADE;
