import type { Router } from 'express'
import type { Pipeline } from '../pipeline/pipeline.ts'
import type { ChannelAdapter } from './channel-adapter.ts'

/**
 * A platform channel as the app wires it: the outbound adapter the dispatcher sends through,
 * HTTP routes it needs (a webhook, a pairing page's data), and its inbound side, started once
 * the pipeline runs. Start-up of a channel must never stop Minka: a channel that cannot start
 * reports why in its health and the rest keeps running.
 */
export interface ChannelModule {
  readonly adapter: ChannelAdapter
  readonly routes?: Router
  /** Routes for staff only (WhatsApp pairing): mounted under /admin, for signed-in admins. */
  readonly staffRoutes?: Router
  start(pipeline: Pipeline): Promise<void>
  stop(): Promise<void>
}
