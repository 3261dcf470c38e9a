import makeWASocket, {
  Browsers,
  downloadMediaMessage,
  type ConnectionState,
  type MessageUpsertType,
  type WAMessage,
} from '@whiskeysockets/baileys'
import type { i18n } from 'i18next'
import QRCode from 'qrcode'
import type { ChannelDeps } from '../../../app/channels.ts'
import type { Db } from '../../../app/db/open.ts'
import { createI18n, readLocaleResources, translatorFor } from '../../../app/i18n.ts'
import type { Logger } from '../../../app/logger.ts'
import type { AttachmentStore } from '../../attachments/attachment-store.ts'
import type { Pipeline } from '../../pipeline/pipeline.ts'
import type { ChannelModule } from '../channel-module.ts'
import { realClock, type PacerClock } from './chat-pacer.ts'
import { clearAuthState, useDbAuthState, type BaileysLogger } from './db-auth-state.ts'
import { isFromHer, translateInbound } from './inbound-translate.ts'
import { decideReconnect, DEFAULT_BACKOFF, type BackoffOptions } from './reconnect-policy.ts'
import { WhatsAppAdapter } from './whatsapp-adapter.ts'
import { whatsappRoutes } from './whatsapp-routes.ts'
import type { SocketFactory, WhatsAppSocket } from './whatsapp-socket.ts'
import { healthOf, type WhatsAppSnapshot, type WhatsAppState } from './whatsapp-state.ts'

export type WhatsAppChannelOptions = {
  db: Db
  logger: Logger
  i18n: i18n
  /** Language of the texts staff see (terminal, panel). */
  staffLocale: string
  attachments: Pick<AttachmentStore, 'save' | 'read' | 'maxBytes'>
  /** ChannelAuthState account: one per WhatsApp number (WHATSAPP_ACCOUNT). */
  account: string
  /** Pair by code with this number instead of a QR (WHATSAPP_PAIRING_PHONE). */
  pairingPhone?: string
  sendsPerMinute: number
  chatMinIntervalMs: number
  jitterMs?: number
  typingMaxMs?: number
  makeSocket?: SocketFactory
  /** Fetches a media message's file; Baileys' downloadMediaMessage by default. */
  download?: (message: WAMessage, socket: WhatsAppSocket) => Promise<AsyncIterable<Uint8Array>>
  /** Time, sleeps and randomness for pacing and typing (tests simulate them). */
  clock?: PacerClock
  /** Runs `fn` after `ms` (reconnection timers); returns a cancel function. */
  setTimer?: (fn: () => void, ms: number) => () => void
  backoff?: BackoffOptions
  /** Where the pairing QR is drawn for whoever started Minka. */
  printToTerminal?: (text: string) => void
}

const RECEIVE_ATTEMPTS = 3

/**
 * The WhatsApp channel (Baileys): keeps one socket to the ministry's number open, reconnecting
 * by disconnect reason; turns live messages into InboundMessages for the pipeline and marks
 * them read once stored; exposes its state and the pairing QR for staff. The outbound half is
 * WhatsAppAdapter, which the outbox dispatcher drives.
 */
export class WhatsAppChannel implements ChannelModule {
  readonly adapter: WhatsAppAdapter
  readonly staffRoutes
  private readonly clock: PacerClock
  private readonly setTimer: (fn: () => void, ms: number) => () => void
  private readonly makeSocket: SocketFactory
  private state: WhatsAppState
  private alert: WhatsAppSnapshot['alert']
  private socket: WhatsAppSocket | undefined
  private open = false
  private attempt = 0
  private stopping = false
  private cancelTimer: (() => void) | undefined
  private pipeline: Pipeline | undefined
  private pairingCodeRequested = false
  /** Her messages are received in the order WhatsApp gave them, one chat at a time. */
  private readonly chats = new Map<string, Promise<void>>()
  private readonly inFlight = new Set<Promise<void>>()
  private credsWrite: Promise<void> = Promise.resolve()

  constructor(private readonly opts: WhatsAppChannelOptions) {
    this.clock = opts.clock ?? realClock
    this.setTimer =
      opts.setTimer ??
      ((fn, ms) => {
        const timer = setTimeout(fn, ms)
        return () => clearTimeout(timer)
      })
    this.makeSocket = opts.makeSocket ?? makeWASocket
    this.state = { status: 'starting', since: this.isoNow() }
    this.adapter = new WhatsAppAdapter({
      link: {
        openSocket: () => (this.open ? this.socket : undefined),
        health: () => healthOf(this.snapshot()),
      },
      attachments: opts.attachments,
      logger: opts.logger,
      sendsPerMinute: opts.sendsPerMinute,
      chatMinIntervalMs: opts.chatMinIntervalMs,
      jitterMs: opts.jitterMs,
      typingMaxMs: opts.typingMaxMs,
      clock: this.clock,
    })
    this.staffRoutes = whatsappRoutes({
      snapshot: () => this.snapshot(),
      requestPairingCode: (phone) => this.requestPairingCode(phone),
      translate: (lng) => translatorFor(opts.i18n, lng ?? opts.staffLocale),
    })
  }

  /** The connection's state and any alert for staff. */
  snapshot(): WhatsAppSnapshot {
    return { ...this.state, ...(this.alert && { alert: this.alert }) }
  }

  async start(pipeline: Pipeline): Promise<void> {
    this.pipeline = pipeline
    this.stopping = false
    await this.connect()
  }

  async stop(): Promise<void> {
    this.stopping = true
    this.cancelTimer?.()
    await Promise.allSettled([...this.inFlight])
    const socket = this.socket
    this.socket = undefined
    this.open = false
    await socket?.end(undefined)
    await this.credsWrite
    if (this.state.status !== 'stopped') this.setState({ status: 'stopped', reason: 'shutdown' })
  }

  /** Resolves when every message received so far has been handed to the pipeline. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight])
  }

  /** Asks WhatsApp for an 8-character code to type on the phone instead of scanning a QR. */
  async requestPairingCode(
    phone: string,
  ): Promise<{ ok: true; code: string } | { ok: false; reason: 'not_pairing' | 'failed' }> {
    const socket = this.socket
    if (!socket || this.state.status !== 'pairing') return { ok: false, reason: 'not_pairing' }
    try {
      const code = await socket.requestPairingCode(phone.replace(/\D/g, ''))
      if (this.state.status === 'pairing') this.state = { ...this.state, pairingCode: code }
      this.print(this.t('whatsapp.terminal.pairing_code', { code }))
      return { ok: true, code }
    } catch (error) {
      this.opts.logger.warn({ err: error }, 'whatsapp: pairing code request failed')
      return { ok: false, reason: 'failed' }
    }
  }

  private async connect(): Promise<void> {
    if (this.stopping) return
    this.cancelTimer = undefined
    let socket: WhatsAppSocket
    try {
      const baileysLogger = this.opts.logger.child(
        { module: 'baileys' },
        { level: 'warn' },
      ) as unknown as BaileysLogger // pino's Logger is Baileys' ILogger; only the generics differ
      const auth = await useDbAuthState(this.opts.db, this.opts.account, baileysLogger)
      socket = this.makeSocket({
        auth: auth.state,
        logger: baileysLogger,
        browser: Browsers.ubuntu('Minka'),
        // Staying "offline" keeps her phone notifications on and looks less like a bot.
        markOnlineOnConnect: false,
        // We answer only live messages. The recent history sync stays on: Baileys learns the
        // LID ↔ phone mappings from it (it warns that turning it off breaks them).
        syncFullHistory: false,
      })
      this.socket = socket
      this.open = false
      this.pairingCodeRequested = false
      socket.ev.on('creds.update', () => {
        this.credsWrite = this.credsWrite
          .then(() => auth.saveCreds())
          .catch((error: unknown) =>
            this.opts.logger.error({ err: error }, 'whatsapp: could not save credentials'),
          )
      })
    } catch (error) {
      // The database may be briefly away: try again later, never stop Minka.
      this.opts.logger.error({ err: error }, 'whatsapp: could not open the socket')
      this.afterClose(undefined, String((error as Error).message ?? error))
      return
    }
    socket.ev.on('connection.update', (update) => this.onConnectionUpdate(socket, update))
    socket.ev.on('messages.upsert', ({ messages, type }) => this.onUpsert(socket, messages, type))
  }

  private onConnectionUpdate(socket: WhatsAppSocket, update: Partial<ConnectionState>): void {
    if (socket !== this.socket || this.stopping) return // a late event from an old socket
    if (update.qr) this.showQr(socket, update.qr)
    if (update.connection === 'open') {
      this.open = true
      this.attempt = 0
      this.alert = undefined
      const user = socket.user?.id?.split(/[:@]/)[0]
      this.setState({ status: 'connected', ...(user && { phone: `+${user}` }) })
      this.opts.logger.info('whatsapp: connected')
    }
    if (update.connection === 'close') {
      this.open = false
      this.socket = undefined
      const error = update.lastDisconnect?.error as
        (Error & { output?: { statusCode?: number } }) | undefined
      // A socket that got as far as showing a QR worked: a QR timeout is not an outage.
      if (this.state.status === 'pairing') this.attempt = 0
      this.afterClose(error?.output?.statusCode, error?.message)
    }
  }

  private afterClose(code: number | undefined, message: string | undefined): void {
    const action = decideReconnect(code, this.attempt++, this.clock.random, this.opts.backoff)
    this.opts.logger.warn({ code, action: action.kind, reason: action.reason }, 'whatsapp: closed')
    switch (action.kind) {
      case 'reconnect':
        this.setState({
          status: 'disconnected',
          reason: action.reason,
          ...(code !== undefined && { code }),
          retryAt: new Date(this.clock.now() + action.delayMs).toISOString(),
        })
        this.later(action.delayMs)
        return
      case 'repair':
        this.alert = { reason: 'logged_out', at: this.isoNow() }
        this.setState({ status: 'logged_out' })
        this.opts.logger.error('whatsapp: logged out from the phone; pair the number again')
        void clearAuthState(this.opts.db, this.opts.account)
          .catch((error: unknown) =>
            this.opts.logger.error({ err: error }, 'whatsapp: could not clear auth state'),
          )
          .then(() => this.later(action.delayMs))
        return
      case 'stop':
        this.alert = { reason: action.reason, at: this.isoNow() }
        this.setState({ status: 'stopped', reason: action.reason })
        this.opts.logger.error({ reason: action.reason, detail: message }, 'whatsapp: stopped')
        return
    }
  }

  private later(ms: number): void {
    if (this.stopping) return
    this.cancelTimer = this.setTimer(() => void this.connect(), ms)
  }

  private showQr(socket: WhatsAppSocket, qr: string): void {
    const first = this.state.status !== 'pairing'
    this.setState({
      status: 'pairing',
      qr,
      qrAt: this.isoNow(),
      ...(this.state.status === 'pairing' && !first && this.state.pairingCode
        ? { pairingCode: this.state.pairingCode }
        : {}),
    })
    if (first) this.opts.logger.info('whatsapp: waiting to be paired')
    if (this.opts.pairingPhone) {
      // Baileys is ready to ask for a code once it shows the first QR.
      if (!this.pairingCodeRequested) {
        this.pairingCodeRequested = true
        void this.requestPairingCode(this.opts.pairingPhone)
      }
      return
    }
    QRCode.toString(qr, { type: 'terminal', small: true })
      .then((drawing) => {
        if (socket === this.socket) this.print(`${this.t('whatsapp.terminal.scan')}\n${drawing}`)
      })
      .catch((error: unknown) => this.opts.logger.warn({ err: error }, 'whatsapp: QR not drawn'))
  }

  private onUpsert(socket: WhatsAppSocket, messages: WAMessage[], type: MessageUpsertType): void {
    for (const message of messages) {
      if (!isFromHer(type, message)) continue
      const chat = message.key.remoteJid!
      const previous = this.chats.get(chat) ?? Promise.resolve()
      const next = previous.then(() => this.receive(socket, message))
      this.chats.set(chat, next)
      this.inFlight.add(next)
      void next.finally(() => {
        this.inFlight.delete(next)
        if (this.chats.get(chat) === next) this.chats.delete(chat)
      })
    }
  }

  /** Translate, store (the pipeline deduplicates on the message id), then mark it read. */
  private async receive(socket: WhatsAppSocket, message: WAMessage): Promise<void> {
    const pipeline = this.pipeline
    if (!pipeline) return
    try {
      const download =
        this.opts.download ??
        ((m: WAMessage, s: WhatsAppSocket) =>
          downloadMediaMessage(
            m,
            'stream',
            {},
            {
              logger: this.opts.logger as unknown as BaileysLogger,
              reuploadRequest: s.updateMediaMessage,
            },
          ))
      const inbound = await translateInbound(message, {
        maxBytes: this.opts.attachments.maxBytes,
        download: (m) => download(m, socket),
        save: async (bytes, mime) => {
          const saved = await this.opts.attachments.save(bytes, mime)
          // she is asked to send it again and staff see the loss on her case; say why here
          if (!saved.ok && saved.reason === 'write_failed') {
            this.opts.logger.error({ reason: saved.detail }, 'whatsapp: could not keep a file')
          }
          return saved
        },
        phoneForLid: socket.signalRepository
          ? (lid) => socket.signalRepository!.lidMapping.getPNForLID(lid)
          : undefined,
        now: () => new Date(this.clock.now()),
      })
      if (!inbound) return
      for (let attempt = 1; ; attempt++) {
        try {
          await pipeline.receive(inbound)
          break
        } catch (error) {
          // WhatsApp will not deliver it again: retry a few times before giving up on it.
          if (attempt >= RECEIVE_ATTEMPTS || this.stopping) throw error
          await this.clock.sleep(1_000 * 2 ** attempt)
        }
      }
      await socket.readMessages([message.key]).catch(() => undefined) // blue ticks: best effort
    } catch (error) {
      this.opts.logger.error(
        { err: error, platformMessageId: message.key.id },
        'whatsapp: message not received',
      )
    }
  }

  private setState(state: DistributiveOmit<WhatsAppState, 'since'>): void {
    this.state = { ...state, since: this.isoNow() } as WhatsAppState
  }

  private isoNow(): string {
    return new Date(this.clock.now()).toISOString()
  }

  private t(key: string, vars?: Record<string, unknown>): string {
    return String(translatorFor(this.opts.i18n, this.opts.staffLocale)(key, vars))
  }

  private print(text: string): void {
    ;(this.opts.printToTerminal ?? ((s: string) => process.stdout.write(`${s}\n`)))(text)
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** The channel as configured (app/channels.ts starts it when WHATSAPP_ENABLED=true). */
export async function createWhatsAppModule(deps: ChannelDeps): Promise<WhatsAppChannel> {
  const { config } = deps
  return new WhatsAppChannel({
    db: deps.db,
    logger: deps.logger,
    i18n: await createI18n(readLocaleResources()),
    staffLocale: config.DEFAULT_LOCALE,
    attachments: deps.attachments,
    account: config.WHATSAPP_ACCOUNT,
    pairingPhone: config.WHATSAPP_PAIRING_PHONE,
    sendsPerMinute: config.WHATSAPP_SEND_PER_MINUTE,
    chatMinIntervalMs: config.WHATSAPP_CHAT_MIN_INTERVAL_MS,
    backoff: DEFAULT_BACKOFF,
  })
}
