import type { UserFacingSocketConfig, WASocket } from '@whiskeysockets/baileys'

/**
 * The part of Baileys' socket the channel uses. Tests pass a fake with these members, built
 * from Baileys' own event buffer and types (STYLE.md, point 9).
 */
export type WhatsAppSocket = Pick<
  WASocket,
  | 'ev'
  | 'user'
  | 'sendMessage'
  | 'sendPresenceUpdate'
  | 'readMessages'
  | 'requestPairingCode'
  | 'updateMediaMessage'
  | 'end'
> & {
  /** Baileys' LID ↔ phone mapping, to recognise a woman who writes from her LID. */
  signalRepository?: { lidMapping: Pick<WASocket['signalRepository']['lidMapping'], 'getPNForLID'> }
}

export type SocketFactory = (config: UserFacingSocketConfig) => WhatsAppSocket
