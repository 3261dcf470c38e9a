-- The outbox claim (bot/outbox/outbox-store.ts) orders queued rows by priority, due time and
-- write order and takes the first few. With this index it reads them in that order and stops
-- at its LIMIT, where before it read and sorted every queued row on each claim (issue 11).
-- It starts with "status", so it replaces the index on ("status", "nextAttemptAt", "priority").
-- No semicolon may appear in these comments: Prisma splits PostgreSQL migrations on them.
DROP INDEX "OutboundMessage_status_nextAttemptAt_priority_idx";
CREATE INDEX "OutboundMessage_claim_order_idx" ON "OutboundMessage"("status", "priority", "nextAttemptAt", "createdAt", "seq");
