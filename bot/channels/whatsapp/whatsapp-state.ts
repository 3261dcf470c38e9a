import type { ChannelHealth } from '../../../app/http/health.ts'

/** Why staff must act: shown in the panel until the number is connected again. */
export type WhatsAppAlert = {
  reason: 'logged_out' | 'connection_replaced' | 'forbidden'
  at: string
}

/** Where the WhatsApp connection stands, for /healthz and the admin panel. */
export type WhatsAppState =
  | { status: 'starting'; since: string }
  | { status: 'pairing'; since: string; qr?: string; qrAt?: string; pairingCode?: string }
  | { status: 'connected'; since: string; phone?: string }
  | { status: 'disconnected'; since: string; reason: string; code?: number; retryAt?: string }
  | { status: 'logged_out'; since: string }
  | { status: 'stopped'; since: string; reason: string }

export type WhatsAppSnapshot = WhatsAppState & { alert?: WhatsAppAlert }

/** The state as /healthz shows it: no QR and no phone number there (it is not staff-only). */
export function healthOf(s: WhatsAppSnapshot): ChannelHealth {
  const lastError = s.alert?.reason
  switch (s.status) {
    case 'starting':
      return { state: 'starting', since: s.since }
    case 'pairing':
      return { state: 'pairing', since: s.since, ...(lastError && { lastError }) }
    case 'connected':
      return { state: 'up', since: s.since }
    case 'disconnected':
      return { state: 'down', detail: s.reason, since: s.since }
    case 'logged_out':
      return { state: 'down', detail: 'logged_out', since: s.since, lastError: 'logged_out' }
    case 'stopped':
      return { state: 'down', detail: s.reason, since: s.since, ...(lastError && { lastError }) }
  }
}
