-- The inbox filtered by region and topic counts cases per status (admin/cases/case-queries.ts).
CREATE INDEX "Case_regionId_topic_status_idx" ON "Case"("regionId", "topic", "status");
