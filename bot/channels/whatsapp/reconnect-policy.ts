import { DisconnectReason } from '@whiskeysockets/baileys'

/** What to do after the socket closed. */
export type ReconnectAction =
  /** Open a new socket after `delayMs` (0: at once). */
  | { kind: 'reconnect'; delayMs: number; reason: DisconnectCause }
  /** The phone unlinked Minka: wipe the auth state, pair again after `delayMs`, alert staff. */
  | { kind: 'repair'; delayMs: number; reason: 'logged_out' }
  /** Reconnecting would fight another session or a ban: stay down until staff act. */
  | { kind: 'stop'; reason: 'connection_replaced' | 'forbidden' }

export type DisconnectCause =
  | 'restart_required'
  | 'connection_lost'
  | 'connection_closed'
  | 'bad_session'
  | 'service_unavailable'
  | 'unknown'

export type BackoffOptions = { baseMs: number; capMs: number }

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 2_000, capMs: 5 * 60_000 }

/** After this many restarts in a row without the socket opening, 515 backs off too. */
const IMMEDIATE_RESTARTS = 3

/**
 * Maps a disconnect (Baileys' `lastDisconnect.error.output.statusCode`) to an action
 * (DESIGN.md, "WhatsApp"). `attempt` counts closes since the socket last opened, so a code that
 * keeps coming back is slowed down: Minka never reconnects in a tight loop.
 */
export function decideReconnect(
  statusCode: number | undefined,
  attempt: number,
  random: () => number = Math.random,
  backoff: BackoffOptions = DEFAULT_BACKOFF,
): ReconnectAction {
  switch (statusCode) {
    case DisconnectReason.loggedOut:
      // A fresh pairing that is refused again must not spin: wait from the second time on.
      return {
        kind: 'repair',
        delayMs: attempt === 0 ? 0 : backoffDelayMs(attempt, random, backoff),
        reason: 'logged_out',
      }
    case DisconnectReason.restartRequired:
      // Sent right after a successful pairing: WhatsApp expects a new socket at once.
      return {
        kind: 'reconnect',
        delayMs: attempt < IMMEDIATE_RESTARTS ? 0 : backoffDelayMs(attempt, random, backoff),
        reason: 'restart_required',
      }
    case DisconnectReason.connectionReplaced:
      return { kind: 'stop', reason: 'connection_replaced' }
    case DisconnectReason.forbidden:
      return { kind: 'stop', reason: 'forbidden' }
    default:
      return {
        kind: 'reconnect',
        delayMs: backoffDelayMs(attempt, random, backoff),
        reason: causeOf(statusCode),
      }
  }
}

/**
 * Exponential back-off with jitter: the ceiling doubles per attempt up to the cap, and the delay
 * is drawn from its upper half. Full jitter (0…ceiling) could draw ~0 ms several times in a row;
 * the issue asks for "never a tight reconnect loop", so half the ceiling is the floor.
 */
export function backoffDelayMs(
  attempt: number,
  random: () => number = Math.random,
  { baseMs, capMs }: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)))
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}

function causeOf(statusCode: number | undefined): DisconnectCause {
  switch (statusCode) {
    case DisconnectReason.connectionLost: // also timedOut: both are 408
      return 'connection_lost'
    case DisconnectReason.connectionClosed:
      return 'connection_closed'
    case DisconnectReason.badSession:
      return 'bad_session'
    case DisconnectReason.unavailableService:
      return 'service_unavailable'
    default:
      return 'unknown'
  }
}
