import { createHash } from 'node:crypto'
import session from 'express-session'
import type { Db } from '../../app/db/open.ts'

declare module 'express-session' {
  interface SessionData {
    staffId?: string
  }
}

type Callback = (err?: unknown) => void

/**
 * Staff sessions in the StaffSession table, so they survive restarts and are shared by every
 * process on PostgreSQL. Rows are keyed by a SHA-256 of the session id: a copy of the database
 * alone cannot be replayed as a live cookie.
 */
export class DbSessionStore extends session.Store {
  constructor(
    private readonly db: Db,
    private readonly idleMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {
    super()
  }

  private key(sid: string): string {
    return createHash('sha256').update(sid).digest('base64url')
  }

  private expiry(sess: session.SessionData): Date {
    const expires = sess.cookie?.expires
    return expires ? new Date(expires) : new Date(this.now().getTime() + this.idleMs)
  }

  override get(
    sid: string,
    cb: (err: unknown, session?: session.SessionData | null) => void,
  ): void {
    this.db.staffSession
      .findUnique({ where: { id: this.key(sid) } })
      .then((row) => {
        // An expired row is as good as gone; the idle limit holds even if the cookie lingers.
        if (!row || row.expiresAt <= this.now()) return cb(null, null)
        cb(null, JSON.parse(row.data) as session.SessionData)
      })
      .catch((err: unknown) => cb(err))
  }

  override set(sid: string, sess: session.SessionData, cb: Callback = () => {}): void {
    const data = {
      staffId: sess.staffId ?? null,
      data: JSON.stringify(sess),
      expiresAt: this.expiry(sess),
    }
    const id = this.key(sid)
    this.db.staffSession
      .upsert({ where: { id }, create: { id, ...data }, update: data })
      .then(() => cb())
      .catch((err: unknown) => cb(err))
  }

  override destroy(sid: string, cb: Callback = () => {}): void {
    this.db.staffSession
      .deleteMany({ where: { id: this.key(sid) } })
      .then(() => cb())
      .catch((err: unknown) => cb(err))
  }

  override touch(sid: string, sess: session.SessionData, cb: Callback = () => {}): void {
    this.db.staffSession
      .updateMany({ where: { id: this.key(sid) }, data: { expiresAt: this.expiry(sess) } })
      .then(() => cb())
      .catch((err: unknown) => cb(err))
  }

  /** Deletes expired rows; called now and then so the table does not grow forever. */
  async prune(): Promise<number> {
    const { count } = await this.db.staffSession.deleteMany({
      where: { expiresAt: { lt: this.now() } },
    })
    return count
  }

  /** Signs a staff member out everywhere (disabled account, password reset). */
  async destroyAllOf(staffId: string): Promise<void> {
    await this.db.staffSession.deleteMany({ where: { staffId } })
  }
}
