import express, { Router } from 'express'
import { rateLimit } from 'express-rate-limit'
import { z } from 'zod'
import type { Db } from '../../../app/db/open.ts'
import { outboxPayloadSchema } from '../../messages.ts'
import type { Pipeline } from '../../pipeline/pipeline.ts'

const userIdSchema = z.string().trim().min(1).max(100)

const postSchema = z
  .object({
    userId: userIdSchema,
    text: z.string().max(65_536).optional(),
    choice: z.string().max(200).optional(),
    /** Lets a client retry a POST safely: the same id is stored once. */
    messageId: z.string().min(1).max(200).optional(),
  })
  .refine((b) => b.text !== undefined || b.choice !== undefined, {
    message: 'text or choice is required',
    path: ['text'],
  })

/**
 * The web channel over HTTP (DESIGN.md contract): the admin panel's simulator, tests and any
 * website that wants a chat. Public like the other channels, so rate-limited per IP.
 */
export function simulatorRoutes(opts: {
  db: Db
  pipeline: Pipeline
  ratePerMinute: number
  now?: () => Date
}): Router {
  const router = Router()
  const now = opts.now ?? (() => new Date())
  router.use(
    '/api/simulator',
    rateLimit({
      windowMs: 60_000,
      limit: opts.ratePerMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
    }),
    express.json({ limit: '80kb' }),
  )

  router.post('/api/simulator/messages', async (req, res) => {
    const body = postSchema.safeParse(req.body)
    if (!body.success) {
      res
        .status(400)
        .json({ error: 'invalid_body', fields: body.error.issues.map((i) => i.path.join('.')) })
      return
    }
    const { userId, text, choice, messageId } = body.data
    const result = await opts.pipeline.receive({
      channel: 'web',
      channelUserId: userId,
      platformMessageId:
        messageId ?? `web-${now().getTime()}-${Math.random().toString(36).slice(2)}`,
      text,
      choice,
      receivedAt: now(),
    })
    res.status(202).json({ id: result.inboundId, duplicate: result.duplicate })
  })

  router.get('/api/simulator/messages', async (req, res) => {
    const userId = userIdSchema.safeParse(req.query.userId)
    if (!userId.success) {
      res.status(400).json({ error: 'invalid_query', fields: ['userId'] })
      return
    }
    res.json({ messages: await webConversation(opts.db, userId.data) })
  })
  return router
}

export type ConversationEntry =
  | { from: 'user'; id: string; at: string; text: string | null; choice: string | null }
  | {
      from: 'bot'
      id: string
      at: string
      status: string
      payload: z.infer<typeof outboxPayloadSchema>
    }

/** Her messages and the bot's, in order. Text she sent before consenting is not kept. */
export async function webConversation(db: Db, userId: string): Promise<ConversationEntry[]> {
  const contact = await db.contact.findUnique({
    where: { channel_channelUserId: { channel: 'web', channelUserId: userId } },
  })
  const [inbound, outbound] = await Promise.all([
    db.inboundMessage.findMany({
      where: {
        channel: 'web',
        OR: [{ channelUserId: userId }, ...(contact ? [{ contactId: contact.id }] : [])],
      },
      orderBy: { receivedAt: 'asc' },
      take: 500,
    }),
    contact
      ? db.outboundMessage.findMany({
          where: {
            contactId: contact.id,
            status: { not: 'cancelled' },
            nextAttemptAt: { lte: new Date() },
          },
          orderBy: [{ createdAt: 'asc' }, { seq: 'asc' }],
          take: 1000,
        })
      : [],
  ])
  const entries: (ConversationEntry & { order: [number, number, number] })[] = [
    ...inbound.map((m) => ({
      from: 'user' as const,
      id: m.id,
      at: m.receivedAt.toISOString(),
      text: m.text,
      choice: m.choice,
      order: [m.receivedAt.getTime(), 0, 0] as [number, number, number],
    })),
    ...outbound.map((m) => ({
      from: 'bot' as const,
      id: m.id,
      at: m.createdAt.toISOString(),
      status: m.status,
      payload: outboxPayloadSchema.parse(JSON.parse(m.payload)),
      order: [m.createdAt.getTime(), 1, m.seq] as [number, number, number],
    })),
  ]
  entries.sort(
    (a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1] || a.order[2] - b.order[2],
  )
  return entries.map(({ order: _order, ...e }) => e)
}
