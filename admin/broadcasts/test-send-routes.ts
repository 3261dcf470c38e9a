import { randomUUID } from 'node:crypto'
import { Router } from 'express'
import { z } from 'zod'
import type { Prisma } from '../../generated/sqlite/index.js'
import type { AdminDeps } from '../admin-context.ts'
import { canWork, currentStaff, regionScope } from '../auth/access.ts'
import { audit } from '../audit/audit.ts'
import { contentOf, renderBroadcast } from '../../bot/broadcasts/broadcasts.ts'
import { loadBroadcast } from './broadcast-access.ts'

/** A test goes out like a staff reply (priority 5), ahead of every broadcast row. */
const TEST_PRIORITY = 5

const testBody = z.object({ contact: z.string().trim().min(1).max(200) })

/**
 * Which contact the staff member means by what she typed: a contact id, her Telegram chat id,
 * or a phone number in any spelling ("+591 7000-0001", "59170000001"). Staff have no contact
 * of their own, so she names the one she writes to Minka from.
 */
export function contactLookup(typed: string): Prisma.ContactWhereInput {
  const digits = typed.replace(/[^\d]/g, '')
  return {
    erasedAt: null,
    OR: [
      { id: typed },
      { channelUserId: typed },
      ...(digits.length >= 6 ? [{ phone: `+${digits}` }, { phone: digits }] : []),
    ],
  }
}

/**
 * "Send me a test": the broadcast exactly as a woman gets it (her language, BAJA line,
 * follow-up question, file) queued as one outbox row to the staff member's own contact.
 */
export function testSendRoutes(deps: AdminDeps & { now: () => Date }): Router {
  const { db } = deps
  const router = Router()
  router.post('/broadcasts/:id/test', canWork, async (req, res) => {
    const staff = currentStaff(res.locals)
    const b = await loadBroadcast(db, res, String(req.params.id))
    const { contact: typed } = testBody.parse(req.body)
    const scope = regionScope(staff)
    const contact = await db.contact.findFirst({
      where: {
        AND: [
          contactLookup(typed),
          // an agent cannot use a test to write to a woman of another region
          ...(scope ? [{ OR: [{ regionId: null }, { regionId: { in: scope } }] }] : []),
        ],
      },
    })
    if (!contact) {
      res.redirect(303, `/admin/broadcasts/${b.id}?test=unknown`)
      return
    }
    const now = deps.now()
    const outboundId = randomUUID()
    await db.$transaction(async (tx) => {
      await tx.outboundMessage.create({
        data: {
          id: outboundId,
          contactId: contact.id,
          channel: contact.channel,
          channelUserId: contact.channelUserId,
          payload: JSON.stringify(renderBroadcast(deps.i18n, contentOf(b), contact.locale)),
          status: 'queued',
          priority: TEST_PRIORITY,
          nextAttemptAt: now,
          origin: 'system',
          originId: b.id,
          createdAt: now,
        },
      })
      await audit(
        tx,
        {
          staff,
          action: 'broadcast.test_send',
          entity: 'Broadcast',
          entityId: b.id,
          after: { contactId: contact.id, channel: contact.channel, outboundId },
          ip: req.ip,
        },
        now,
      )
    })
    deps.wakeDispatcher()
    res.redirect(303, `/admin/broadcasts/${b.id}?test=${contact.channel}`)
  })
  return router
}
