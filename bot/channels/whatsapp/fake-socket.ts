import {
  DisconnectReason,
  makeEventBuffer,
  proto,
  type AnyMessageContent,
  type Contact,
  type MessageUpsertType,
  type UserFacingSocketConfig,
  type WAMessage,
  type WAMessageKey,
  type WAPresence,
} from '@whiskeysockets/baileys'
import type { BaileysLogger } from './db-auth-state.ts'
import type { SocketFactory, WhatsAppSocket } from './whatsapp-socket.ts'

/** A logger that drops everything, shaped like Baileys' ILogger. */
export const silentBaileysLogger: BaileysLogger = {
  level: 'silent',
  child: () => silentBaileysLogger,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
}

export type SentMessage = { jid: string; content: AnyMessageContent; id: string }

/**
 * A Baileys socket without a network (STYLE.md, point 9): its `ev` is Baileys' own event
 * buffer, so events reach the channel exactly as from a real socket; it records what the
 * channel sends and lets the test play WhatsApp's side.
 */
export class FakeSocket implements WhatsAppSocket {
  readonly ev = makeEventBuffer(silentBaileysLogger)
  user: Contact | undefined
  readonly sent: SentMessage[] = []
  readonly presences: { type: WAPresence; jid?: string }[] = []
  readonly read: WAMessageKey[] = []
  readonly pairingCodesFor: string[] = []
  /** Errors the next sendMessage calls throw, in order. */
  readonly failures: Error[] = []
  ended = false
  /** Called on each send with the send's index, to observe timing. */
  onSend?: (message: SentMessage) => void
  private sentCount = 0

  constructor(readonly config: UserFacingSocketConfig) {}

  sendMessage = async (jid: string, content: AnyMessageContent): Promise<WAMessage> => {
    const failure = this.failures.shift()
    if (failure) throw failure
    const id = `SENT${++this.sentCount}`
    const message = { jid, content, id }
    this.sent.push(message)
    this.onSend?.(message)
    return { key: { remoteJid: jid, fromMe: true, id } }
  }

  sendPresenceUpdate = async (type: WAPresence, jid?: string): Promise<void> => {
    this.presences.push({ type, jid })
  }

  readMessages = async (keys: WAMessageKey[]): Promise<void> => {
    this.read.push(...keys)
  }

  requestPairingCode = async (phone: string): Promise<string> => {
    this.pairingCodesFor.push(phone)
    return 'ABCD1234'
  }

  updateMediaMessage = async (): Promise<WAMessage> => {
    throw new Error('the fake socket has no media servers')
  }

  end = async (error: Error | undefined): Promise<void> => {
    if (this.ended) return
    this.ended = true
    this.emitClose(error)
  }

  // ——— WhatsApp's side ———

  showQr(qr = `2@fake-qr-${Math.random()}`): void {
    this.ev.emit('connection.update', { connection: 'connecting', qr })
  }

  /** The socket opened as the ministry's number. */
  open(phone = '59170000001'): void {
    this.user = { id: `${phone}:7@s.whatsapp.net`, name: 'Minka' }
    this.ev.emit('connection.update', { connection: 'open' })
  }

  /** WhatsApp closed the socket with this status code (DisconnectReason). */
  close(statusCode: number | undefined, message = 'Connection Failure'): void {
    const error = Object.assign(new Error(message), {
      isBoom: true,
      output: { statusCode: statusCode ?? DisconnectReason.connectionClosed },
    })
    this.emitClose(statusCode === undefined ? undefined : error)
  }

  receive(messages: WAMessage[], type: MessageUpsertType = 'notify'): void {
    this.ev.emit('messages.upsert', { messages, type })
  }

  texts(jid?: string): string[] {
    return this.sent
      .filter((m) => jid === undefined || m.jid === jid)
      .map((m) => ('text' in m.content ? String(m.content.text) : `[${Object.keys(m.content)[0]}]`))
  }

  private emitClose(error: Error | undefined): void {
    this.ev.emit('connection.update', {
      connection: 'close',
      lastDisconnect: { error, date: new Date() },
    })
  }
}

/** A socket factory that records every socket the channel opens. */
export function fakeSocketFactory(): SocketFactory & { sockets: FakeSocket[]; last(): FakeSocket } {
  const sockets: FakeSocket[] = []
  const factory = (config: UserFacingSocketConfig) => {
    const socket = new FakeSocket(config)
    sockets.push(socket)
    return socket
  }
  return Object.assign(factory, { sockets, last: () => sockets.at(-1)! })
}

let counter = 0

/** A message as Baileys delivers it in `messages.upsert`. */
export function incoming(
  content: proto.IMessage,
  key: Partial<WAMessageKey> = {},
  extra: Partial<WAMessage> = {},
): WAMessage {
  return {
    key: {
      remoteJid: '59171234567@s.whatsapp.net',
      fromMe: false,
      id: `3EB0${(++counter).toString().padStart(8, '0')}`,
      ...key,
    },
    message: content,
    messageTimestamp: 1_772_474_400,
    pushName: 'Juana',
    ...extra,
  }
}
