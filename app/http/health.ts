import { Router } from 'express'
import { pingDatabase, type Db } from '../db/open.ts'
import type { DatabaseTarget } from '../db/database-url.ts'

/** What a channel reports about itself in /healthz. */
export type ChannelHealth = {
  state: 'starting' | 'up' | 'down' | 'pairing' | 'disabled'
  detail?: string
  since?: string
  lastError?: string
}

export type HealthSources = {
  db: Db
  target: DatabaseTarget
  channels: () => Record<string, ChannelHealth>
}

/**
 * GET /healthz: 200 when the database answers, 503 when it does not. Channel states are
 * reported but do not change the status code: a Telegram outage must not make a load balancer
 * restart the process that still serves WhatsApp and the panel.
 */
export function healthRouter({ db, target, channels }: HealthSources): Router {
  const router = Router()
  router.get('/healthz', async (_req, res) => {
    const database = await pingDatabase(db)
    res.status(database.ok ? 200 : 503).json({
      status: database.ok ? 'ok' : 'unavailable',
      database: { provider: target.provider, ...database },
      channels: channels(),
    })
  })
  return router
}
