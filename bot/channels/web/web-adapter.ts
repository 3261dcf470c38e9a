import { EventEmitter } from 'node:events'
import type { ChannelHealth } from '../../../app/http/health.ts'
import type { ChannelAdapter, OutgoingMessage, SendResult } from '../channel-adapter.ts'

/**
 * The web channel has no platform to call: a reply is delivered once its outbox row is marked
 * sent, and the simulator reads it back. Listeners (the terminal chat, live pages) get an event.
 */
export class WebAdapter implements ChannelAdapter {
  readonly channel = 'web' as const
  readonly sendsPerSecond = Number.POSITIVE_INFINITY
  readonly events = new EventEmitter<{ delivered: [OutgoingMessage] }>()

  isReady(): boolean {
    return true
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    this.events.emit('delivered', message)
    return { ok: true } // the outbox row is the message: no platform id to record
  }

  health(): ChannelHealth {
    return { state: 'up' }
  }
}
