import { randomUUID } from 'node:crypto'
import argon2 from 'argon2'
import { Router } from 'express'
import request from 'supertest'
import type { Db } from '../app/db/open.ts'
import { createHttpApp } from '../app/http/server.ts'
import { createI18n } from '../app/i18n.ts'
import { createLogger } from '../app/logger.ts'
import { seedProgramme } from '../prisma/seed/seed.ts'
import { freshSqlite, type TestDatabase } from '../test/support/test-db.ts'
import type { LoginLimits, Role } from './admin-context.ts'
import { adminRouter } from './admin-router.ts'

export const PASSWORD = 'a-long-test-password'

/** The admin panel alone on a fresh seeded SQLite copy, with staff of every role. */
export async function adminTestApp(opts: { loginLimits?: Partial<LoginLimits> } = {}) {
  const database: TestDatabase = await freshSqlite()
  const db = database.db
  const logger = createLogger('silent')
  await seedProgramme(db, { adminEmail: 'admin@test.local', adminPassword: PASSWORD, log: logger })
  const woken: number[] = []
  const app = createHttpApp(
    [
      adminRouter({
        db,
        i18n: await createI18n(),
        logger,
        wakeDispatcher: () => woken.push(Date.now()),
        channelHealth: () => ({ web: { state: 'up' } }),
        // a channel's staff route, as WhatsApp's pairing data: admins only
        channelStaffRoutes: [
          Router().get('/channels/whatsapp', (_req, res) => {
            res.json({ status: 'pairing', qrDataUrl: 'data:image/png;base64,AAAA' })
          }),
        ],
        attachments: { read: async () => Buffer.from('fake-bytes') },
        sessionIdleMinutes: 60,
        loginLimits: opts.loginLimits,
      }),
    ],
    logger,
  )
  return { app, db, woken, cleanup: () => database.cleanup() }
}

export async function createStaff(
  db: Db,
  email: string,
  role: Role,
  regions: string[] = [],
): Promise<string> {
  const id = randomUUID()
  await db.staff.create({
    data: {
      id,
      email,
      name: email.split('@')[0]!,
      role,
      passwordHash: await argon2.hash(PASSWORD, { type: argon2.argon2id }),
      regions: { create: regions.map((regionId) => ({ regionId })) },
    },
  })
  return id
}

/** A contact with an open case in a region, and one message from her. */
export async function createCase(
  db: Db,
  opts: { regionId: string | null; name?: string; text?: string },
): Promise<number> {
  const contactId = randomUUID()
  const now = new Date()
  await db.contact.create({
    data: {
      id: contactId,
      channel: 'web',
      channelUserId: `u-${contactId.slice(0, 8)}`,
      displayName: opts.name ?? 'Juana',
      regionId: opts.regionId,
      country: opts.regionId?.slice(0, 2) ?? null,
    },
  })
  await db.inboundMessage.create({
    data: {
      id: randomUUID(),
      channel: 'web',
      platformMessageId: randomUUID(),
      contactId,
      text: opts.text ?? 'Necesito ayuda con los estatutos',
      receivedAt: now,
      status: 'handled',
    },
  })
  const c = await db.case.create({
    data: {
      contactId,
      topic: 'legal',
      status: 'open',
      regionId: opts.regionId,
      channel: 'web',
      firstResponseDueAt: new Date(now.getTime() - 3_600_000),
      lastInboundAt: now,
      lastActivityAt: now,
    },
  })
  return c.id
}

export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html)
  if (!m) throw new Error('no CSRF token in the page')
  return m[1]!
}

/** A signed-in supertest agent, and a function giving a fresh CSRF token for its session. */
export async function signIn(app: Parameters<typeof request.agent>[0], email: string) {
  const agent = request.agent(app)
  const page = await agent.get('/admin/login')
  const res = await agent
    .post('/admin/login')
    .type('form')
    .send({ _csrf: csrfOf(page.text), email, password: PASSWORD })
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`)
  const csrf = async () => csrfOf((await agent.get('/admin/account/password')).text)
  return { agent, csrf }
}
