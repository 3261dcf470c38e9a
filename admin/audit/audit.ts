import { randomUUID } from 'node:crypto'
import type { Db } from '../../app/db/open.ts'

export type AuditEntry = {
  /** Who did it; undefined for a failed sign-in by an unknown account. */
  staff?: { id: string; email: string } | undefined
  /** The actor's label when there is no staff row (e.g. the email typed at a failed sign-in). */
  actor?: string
  action: string
  entity?: string
  entityId?: string | number
  before?: unknown
  after?: unknown
  ip?: string | undefined
}

type AuditWriter = Pick<Db, 'auditLog'>

/**
 * Records one staff action. Every state-changing route calls this (issue 8: who, when, what,
 * before/after). Pass a transaction client to make the record part of the change itself.
 */
export async function audit(db: AuditWriter, entry: AuditEntry, now = new Date()): Promise<void> {
  await db.auditLog.create({
    data: {
      id: randomUUID(),
      staffId: entry.staff?.id ?? null,
      actor: entry.staff?.email ?? entry.actor ?? 'system',
      action: entry.action,
      entity: entry.entity ?? null,
      entityId: entry.entityId === undefined ? null : String(entry.entityId),
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      ip: entry.ip ?? null,
      createdAt: now,
    },
  })
}
