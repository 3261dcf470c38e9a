import { afterEach, describe, expect, it } from 'vitest'
import { freshSqlite, type TestDatabase } from '../../test/support/test-db.ts'
import { caseTimeline, type CaseRecord } from './case-view.ts'

const dbs: TestDatabase[] = []
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((d) => d.cleanup()))
})

describe('caseTimeline', () => {
  it('shows the replies to one message in the order she got them', async () => {
    const t = await freshSqlite()
    dbs.push(t)
    const { db } = t
    const at = new Date('2026-03-02T18:00:00Z')
    await db.contact.create({ data: { id: 'c', channel: 'web', channelUserId: 'c' } })
    await db.inboundMessage.create({
      data: {
        id: 'i',
        channel: 'web',
        platformMessageId: 'p',
        contactId: 'c',
        text: 'hola',
        receivedAt: at,
        status: 'handled',
      },
    })
    for (const [seq, text] of ['greeting', 'question', 'options'].entries()) {
      await db.outboundMessage.create({
        data: {
          id: `o${seq}`,
          contactId: 'c',
          channel: 'web',
          channelUserId: 'c',
          payload: JSON.stringify({ kind: 'text', text }),
          status: 'sent',
          nextAttemptAt: at,
          origin: 'reply',
          seq,
          createdAt: at,
        },
      })
    }
    const kase = await db.case.create({
      data: { contactId: 'c', topic: 'human', status: 'open', lastActivityAt: at },
      include: {
        contact: true,
        region: true,
        assignee: true,
        group: { include: { currentPhase: true } },
      },
    })
    const { timeline } = await caseTimeline(db, kase as unknown as CaseRecord)
    expect(timeline.map((e) => e.text)).toEqual(['hola', 'greeting', 'question', 'options'])
  })
})
