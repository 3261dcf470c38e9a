import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../../app/db/open.ts'
import { createLogger } from '../../app/logger.ts'
import { freshSqlite, type TestDatabase } from '../../test/support/test-db.ts'
import { applyRetention, REDACTED_PAYLOAD } from './retention.ts'
import { RetentionJob } from './retention-job.ts'

const NOW = new Date('2026-11-25T12:00:00Z')
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000)

let database: TestDatabase
let db: Db
let dir: string
const fileOf = (ref: string) => path.join(dir, ref)

beforeEach(async () => {
  database = await freshSqlite()
  db = database.db
  dir = mkdtempSync(path.join(os.tmpdir(), 'minka-retention-'))
})
afterEach(async () => {
  await database.cleanup()
  rmSync(dir, { recursive: true, force: true })
})

function file(ref: string): string {
  mkdirSync(path.dirname(fileOf(ref)), { recursive: true })
  writeFileSync(fileOf(ref), 'bytes')
  return ref
}

/** A woman with messages, replies, a case, notes, attachments: old (400 days) and recent. */
async function woman(opts: { caseStatus: string }) {
  const contactId = randomUUID()
  await db.contact.create({ data: { id: contactId, channel: 'web', channelUserId: contactId } })
  const kase = await db.case.create({
    data: {
      contactId,
      topic: 'legal',
      status: opts.caseStatus,
      lastActivityAt: daysAgo(400),
      createdAt: daysAgo(400),
    },
  })
  for (const [age, label] of [
    [400, 'old'],
    [10, 'new'],
  ] as const) {
    const inboundId = randomUUID()
    const ref = file(`${label}/${randomUUID()}.jpg`)
    await db.inboundMessage.create({
      data: {
        id: inboundId,
        channel: 'web',
        platformMessageId: inboundId,
        contactId,
        text: `${label} mensaje privado`,
        mediaKind: 'image',
        mediaRef: ref,
        receivedAt: daysAgo(age),
        status: 'handled',
      },
    })
    await db.attachment.create({
      data: {
        id: randomUUID(),
        contactId,
        caseId: kase.id,
        kind: 'image',
        size: 5,
        storageKey: ref,
        createdAt: daysAgo(age),
      },
    })
    for (const status of ['sent', 'failed']) {
      await db.outboundMessage.create({
        data: {
          id: randomUUID(),
          contactId,
          channel: 'web',
          channelUserId: contactId,
          payload: JSON.stringify({ kind: 'text', text: `${label} respuesta` }),
          status,
          nextAttemptAt: daysAgo(age),
          origin: 'reply',
          inboundId,
          createdAt: daysAgo(age),
        },
      })
    }
    for (const kind of ['inbound', 'reply', 'note'])
      await db.caseMessage.create({
        data: {
          id: randomUUID(),
          caseId: kase.id,
          kind,
          text: `${label} ${kind}`,
          createdAt: daysAgo(age),
        },
      })
    await db.unansweredQuestion.create({
      data: { id: randomUUID(), contactId, text: `${label} pregunta`, createdAt: daysAgo(age) },
    })
  }
  return { contactId, caseId: kase.id }
}

async function counts() {
  return {
    contacts: await db.contact.count(),
    cases: await db.case.count(),
    inbound: await db.inboundMessage.count(),
    outbound: await db.outboundMessage.count(),
    sent: await db.outboundMessage.count({ where: { status: 'sent' } }),
    caseMessages: await db.caseMessage.count(),
    replies: await db.caseMessage.count({ where: { kind: 'reply' } }),
    questions: await db.unansweredQuestion.count(),
  }
}

describe('retention', () => {
  it('deletes old words and files, keeps every row M&E counts and everything recent', async () => {
    const closed = await woman({ caseStatus: 'closed' })
    const before = await counts()
    const result = await applyRetention({ db, days: 365, now: NOW, attachmentPath: fileOf })

    expect(await counts()).toEqual(before)
    expect(result).toMatchObject({
      inboundBodies: 1,
      outboundBodies: 2,
      caseMessageBodies: 3,
      unansweredQuestions: 1,
      attachments: 1,
      fileErrors: 0,
    })
    const inbound = await db.inboundMessage.findMany({ orderBy: { receivedAt: 'asc' } })
    expect(inbound.map((m) => [m.text, m.mediaRef === null, m.mediaKind, m.status])).toEqual([
      [null, true, 'image', 'handled'],
      ['new mensaje privado', false, 'image', 'handled'],
    ])
    const outbound = await db.outboundMessage.findMany({ orderBy: { createdAt: 'asc' } })
    expect(outbound.slice(0, 2).map((o) => o.payload)).toEqual([REDACTED_PAYLOAD, REDACTED_PAYLOAD])
    expect(outbound.slice(2).every((o) => o.payload.includes('new respuesta'))).toBe(true)
    const caseTexts = await db.caseMessage.findMany({
      where: { caseId: closed.caseId },
      orderBy: { createdAt: 'asc' },
    })
    expect(caseTexts.map((m) => m.text)).toEqual([
      null,
      null,
      null,
      'new inbound',
      'new reply',
      'new note',
    ])
    const questions = await db.unansweredQuestion.findMany({ orderBy: { createdAt: 'asc' } })
    expect(questions.map((q) => q.text)).toEqual(['', 'new pregunta'])
    // the old file is gone with its row; the recent one stays
    const attachments = await db.attachment.findMany()
    expect(attachments).toHaveLength(1)
    expect(existsSync(fileOf(attachments[0]!.storageKey))).toBe(true)
    expect(readdirSync(path.join(dir, 'old'))).toEqual([])
    // a second run finds nothing more to do
    const again = await applyRetention({ db, days: 365, now: NOW, attachmentPath: fileOf })
    expect(again).toMatchObject({ inboundBodies: 0, outboundBodies: 0, caseMessageBodies: 0 })
  })

  it('keeps the conversation of a woman whose case is still open, and unsent outbox rows', async () => {
    const open = await woman({ caseStatus: 'open' })
    await db.outboundMessage.create({
      data: {
        id: randomUUID(),
        contactId: open.contactId,
        channel: 'web',
        channelUserId: open.contactId,
        payload: JSON.stringify({ kind: 'text', text: 'en cola' }),
        status: 'queued',
        nextAttemptAt: daysAgo(400),
        origin: 'reply',
        createdAt: daysAgo(400),
      },
    })
    const result = await applyRetention({ db, days: 365, now: NOW, attachmentPath: fileOf })
    expect(result).toMatchObject({
      inboundBodies: 0,
      outboundBodies: 0,
      caseMessageBodies: 0,
      attachments: 0,
      files: 0,
    })
    expect(await db.inboundMessage.count({ where: { text: { not: null } } })).toBe(2)
    expect(await db.outboundMessage.count({ where: { payload: REDACTED_PAYLOAD } })).toBe(0)
  })

  it('runs as the runtime daily job with its clock; 5 days reaches the recent ones too', async () => {
    await woman({ caseStatus: 'resolved' })
    const job = new RetentionJob({
      db,
      days: 5,
      logger: createLogger('silent'),
      now: () => NOW,
      attachmentPath: fileOf,
    })
    await job.runOnce()
    await job.stop()
    expect(await db.inboundMessage.count({ where: { text: { not: null } } })).toBe(0)
    expect(await db.attachment.count()).toBe(0)
    expect(await db.inboundMessage.count()).toBe(2)
  })
})
