-- The monitoring dashboard counts cases by period (and region): opened, answered and answered
-- in time per day, from these indexes alone (admin/monitoring/indicators.ts). The first one
-- starts with "createdAt", so it replaces the index on "createdAt" alone.
DROP INDEX "Case_createdAt_idx";
CREATE INDEX "Case_period_sla_idx" ON "Case"("createdAt", "regionId", "country", "firstResponseDueAt", "firstResponseAt");
CREATE INDEX "Case_region_period_sla_idx" ON "Case"("regionId", "createdAt", "country", "firstResponseDueAt", "firstResponseAt");
CREATE INDEX "Case_first_response_idx" ON "Case"("firstResponseAt", "regionId", "country");
