import { Prisma } from '../../generated/sqlite/index.js'
import type { HotPath } from '../../app/db/direct-sqlite.ts'
import type { InboundMessage } from '../messages.ts'
import { inboundRowValues, type ConversationWrite } from './conversation-store.ts'
import { mergedConversationStatements } from './merged-writes.ts'

type Statement = ReturnType<HotPath['$executeRaw']>
type Build = (db: HotPath) => Statement[]
type Settle = { resolve: (results: unknown[]) => void; reject: (error: unknown) => void }
type Work =
  | { kind: 'statements'; build: Build }
  | { kind: 'inbound'; id: string; message: InboundMessage }
  | { kind: 'sent'; id: string; at: Date }
  | { kind: 'conversation'; write: ConversationWrite }
type Pending = Settle & Work

/**
 * Commits the writes of several handled messages in one batch transaction: while one
 * transaction runs, the next messages' writes gather and go together. On SQLite the commit is
 * the cost (DESIGN.md measured ~2,800 messages/s one transaction each, ~7,000 grouped), and
 * through Prisma each statement costs ~0.1 ms of CPU, so the two commonest writes — storing an
 * inbound message and marking a reply sent — are merged into one statement per group. If a
 * group fails, each write is retried alone, so one bad write never fails the others.
 */
export class GroupCommitter {
  private queue: Pending[] = []
  private flushing = false

  constructor(
    private readonly db: HotPath,
    private readonly maxGroup = 128,
  ) {}

  /** Runs the statements `build` returns, in a group; resolves with their results. */
  commit(build: Build): Promise<unknown[]> {
    return this.enqueue({ kind: 'statements', build })
  }

  /** Stores an inbound message unless its (channel, platform id) exists: true when stored. */
  async storeInbound(id: string, message: InboundMessage): Promise<boolean> {
    const [stored] = await this.enqueue({ kind: 'inbound', id, message })
    return stored === true
  }

  /** Records one handled message (merged with the others of its group, merged-writes.ts). */
  async record(write: ConversationWrite): Promise<void> {
    await this.enqueue({ kind: 'conversation', write })
  }

  /** Marks a claimed outbox row sent (one without a platform message id). */
  async markSent(id: string, at: Date): Promise<void> {
    await this.enqueue({ kind: 'sent', id, at })
  }

  private enqueue(p: Work): Promise<unknown[]> {
    return new Promise<unknown[]>((resolve, reject) => {
      this.queue.push({ ...p, resolve, reject } as Pending)
      if (!this.flushing) void this.flush()
    })
  }

  private async flush(): Promise<void> {
    this.flushing = true
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.maxGroup)
        try {
          await this.run(group)
        } catch (error) {
          if (group.length === 1) {
            group[0]!.reject(error)
            continue
          }
          for (const p of group) await this.run([p]).catch((single: unknown) => p.reject(single))
        }
      }
    } finally {
      this.flushing = false
    }
  }

  private async run(group: Pending[]): Promise<void> {
    const inbound = group.filter((p) => p.kind === 'inbound')
    const sent = group.filter((p) => p.kind === 'sent')
    const other = group.filter((p) => p.kind === 'statements')
    const conversations = group.filter((p) => p.kind === 'conversation')
    const built = other.map((p) => p.build(this.db))
    const statements: Statement[] = []
    if (inbound.length > 0) {
      statements.push(
        this.db.$queryRaw(Prisma.sql`
          INSERT INTO "InboundMessage" ("id", "channel", "platformMessageId", "channelUserId", "text",
            "textTruncated", "choice", "mediaKind", "mediaRef", "mediaMime", "receivedAt", "status")
          VALUES ${Prisma.join(inbound.map((p) => inboundRowValues(p.id, p.message)))}
          ON CONFLICT ("channel", "platformMessageId") DO NOTHING
          RETURNING "id"`) as unknown as Statement,
      )
    }
    if (sent.length > 0) {
      // one time for the group: the latest, so no row looks sent before it was
      const at = new Date(Math.max(...sent.map((p) => p.at.getTime())))
      statements.push(
        this.db.$executeRaw(Prisma.sql`
          UPDATE "OutboundMessage" SET "status" = 'sent', "sentAt" = ${at}, "leaseUntil" = NULL
          WHERE "status" = 'sending' AND "id" IN (${Prisma.join(sent.map((p) => p.id))})`),
      )
    }
    const merged = mergedConversationStatements(
      this.db,
      conversations.map((p) => p.write),
    )
    statements.push(...merged)
    statements.push(...built.flat())
    const results: unknown[] = await this.db.$transaction(statements)
    let offset = 0
    if (inbound.length > 0) {
      const stored = new Set((results[offset++] as { id: string }[]).map((r) => r.id))
      for (const p of inbound) p.resolve([stored.has(p.id)])
    }
    if (sent.length > 0) {
      offset++
      for (const p of sent) p.resolve([])
    }
    offset += merged.length
    for (const p of conversations) p.resolve([])
    other.forEach((p, i) => {
      p.resolve(results.slice(offset, offset + built[i]!.length))
      offset += built[i]!.length
    })
  }
}
