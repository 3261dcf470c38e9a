import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express, { type Request, type Response } from 'express'
import multer from 'multer'
import type {
  CallbackQuery,
  Chat,
  File,
  InlineKeyboardMarkup,
  Message,
  Update,
  User,
  UserFromGetMe,
} from 'grammy/types'

/** A Bot API error as Telegram words it, injected into the next call(s) of a method. */
export type InjectedError = { error_code: number; description: string; retry_after?: number }

export const TOO_MANY_REQUESTS = (retry_after: number): InjectedError => ({
  error_code: 429,
  description: `Too Many Requests: retry after ${retry_after}`,
  retry_after,
})
export const BLOCKED: InjectedError = {
  error_code: 403,
  description: 'Forbidden: bot was blocked by the user',
}
export const SERVER_ERROR: InjectedError = {
  error_code: 500,
  description: 'Internal Server Error',
}

export type ApiCall = { method: string; payload: Record<string, unknown>; at: number }

type StoredFile = { file: File; bytes: Buffer }

/** The largest file the cloud Bot API lets a bot download through getFile. */
const GET_FILE_LIMIT = 20 * 1_048_576

/**
 * A fake Telegram Bot API server on 127.0.0.1 (STYLE.md, point 9: fake the outside world at its
 * boundary). It speaks the real HTTP shapes (`POST /bot<token>/<method>` answering
 * `{ ok: true, result }` or `{ ok: false, error_code, description, parameters }`, files under
 * `/file/bot<token>/<path>`), so grammY runs unmodified against it. Tests push updates, read
 * what the bot sent, inject errors per method, and see every call.
 */
export class FakeBotApi {
  readonly calls: ApiCall[] = []
  /** Every message the bot sent, by message_id, as it is now (edits applied). */
  readonly sent = new Map<number, Message.TextMessage>()
  readonly me: UserFromGetMe = {
    id: 7_000_001,
    is_bot: true,
    first_name: 'Minka',
    username: 'minka_test_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  }
  /** Every photo or document the bot sent (multipart uploads), in order. */
  readonly sentFiles: {
    method: 'sendPhoto' | 'sendDocument'
    chatId: number
    caption?: string
    fileName: string
    bytes: Buffer
  }[] = []
  webhook: { url: string; secret_token?: string; allowed_updates?: string[] } | null = null
  /** The token the server accepts; any other gets 401 Unauthorized, as Telegram answers. */
  token: string

  private server: Server | undefined
  private url = ''
  private pending: Update[] = []
  private nextUpdateId = 500_000
  private nextMessageId = 1
  private nextFileId = 1
  private nextQueryId = 1
  private readonly waiters = new Set<() => void>()
  private readonly failures = new Map<string, InjectedError[]>()
  private readonly drops = new Map<string, number>()
  private readonly files = new Map<string, StoredFile>()
  private readonly idsByChat = new Map<number, number[]>()

  private constructor(token: string) {
    this.token = token
  }

  static async start(token = '123456:fake-token-for-minka-tests-0001'): Promise<FakeBotApi> {
    const fake = new FakeBotApi(token)
    await fake.listen()
    return fake
  }

  /** What to give grammY (and TELEGRAM_API_ROOT). */
  get apiRoot(): string {
    return this.url
  }

  async close(): Promise<void> {
    for (const wake of this.waiters) wake()
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve())
      this.server?.closeAllConnections()
    })
  }

  // ——— knobs ———

  /** The next `times` calls of `method` fail with `error`. */
  failNext(method: string, error: InjectedError, times = 1): void {
    this.failures.set(method, [
      ...(this.failures.get(method) ?? []),
      ...Array.from({ length: times }, () => error),
    ])
  }

  /**
   * The next `times` calls of `method` get no answer: the connection is dropped before the
   * call is carried out, as when a request times out on the way to Telegram.
   */
  dropNext(method: string, times = 1): void {
    this.drops.set(method, (this.drops.get(method) ?? 0) + times)
  }

  /** A file the bot may fetch with getFile; returns its file_id. */
  addFile(bytes: Buffer, filePath: string, reportedSize = bytes.byteLength): string {
    const id = `file-${this.nextFileId++}`
    this.files.set(id, {
      bytes,
      file: { file_id: id, file_unique_id: `u${id}`, file_size: reportedSize, file_path: filePath },
    })
    return id
  }

  // ——— updates ———

  /** Queues an update for getUpdates (long polling); returns it with its update_id. */
  push(update: Omit<Update, 'update_id'> & { update_id?: number }): Update {
    const full = { ...update, update_id: update.update_id ?? this.nextUpdateId++ } as Update
    this.pending.push(full)
    for (const wake of this.waiters) wake()
    return full
  }

  /** Posts an update to the registered webhook as Telegram does; returns the HTTP status. */
  async deliver(update: Update, secret = this.webhook?.secret_token): Promise<number> {
    if (!this.webhook) throw new Error('no webhook set')
    const res = await fetch(this.webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret !== undefined && { 'x-telegram-bot-api-secret-token': secret }),
      },
      body: JSON.stringify(update),
    })
    await res.arrayBuffer()
    return res.status
  }

  /** An update carrying a message from her, in her private chat with the bot. */
  message(chatId: number, fields: Partial<Message>, updateId?: number): Update {
    const chat: Chat.PrivateChat = { id: chatId, type: 'private', first_name: 'Ana' }
    const from: User = { id: chatId, is_bot: false, first_name: 'Ana', language_code: 'es' }
    const message = {
      message_id: this.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat,
      from,
      ...fields,
    } as Update['message']
    return { update_id: updateId ?? this.nextUpdateId++, message }
  }

  /** An update for her press of the button with `data` on the bot's message `messageId`. */
  press(chatId: number, messageId: number, data: string): Update {
    const message = this.sent.get(messageId)
    if (!message) throw new Error(`the bot sent no message ${messageId}`)
    const query: CallbackQuery = {
      id: String(this.nextQueryId++),
      from: { id: chatId, is_bot: false, first_name: 'Ana', language_code: 'es' },
      message: message as CallbackQuery['message'],
      chat_instance: `ci-${chatId}`,
      data,
    }
    return { update_id: this.nextUpdateId++, callback_query: query }
  }

  // ——— reading what happened ———

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method)
  }

  /** Messages the bot sent to a chat, oldest first. */
  sentTo(chatId: number): Message.TextMessage[] {
    return (this.idsByChat.get(chatId) ?? []).map((id) => this.sent.get(id)!)
  }

  /** The latest message to `chatId` that still shows buttons. */
  keyboardOf(chatId: number): { messageId: number; buttons: { text: string; data: string }[] } {
    const m = this.sentTo(chatId).findLast((s) => s.reply_markup?.inline_keyboard.length)
    if (!m) throw new Error(`no message with buttons to ${chatId}`)
    return {
      messageId: m.message_id,
      buttons: m.reply_markup!.inline_keyboard.flat().map((b) => ({
        text: b.text,
        data: 'callback_data' in b ? b.callback_data : '',
      })),
    }
  }

  /** Polls `probe` until it returns something other than undefined/false. */
  async waitFor<T>(probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const value = probe()
      if (value !== undefined && value !== false) return value
      if (Date.now() > deadline) throw new Error('timed out waiting on the fake Bot API')
      await new Promise((r) => setTimeout(r, 5))
    }
  }

  // ——— the server ———

  private async listen(): Promise<void> {
    const app = express()
    app.use(express.json({ limit: '50mb' }))
    app.get('/file/:bot/*path', (req, res) => this.download(req, res))
    // files (sendPhoto, sendDocument) come as multipart/form-data, as grammY sends an InputFile
    const files = multer({ storage: multer.memoryStorage() }).any()
    app.post('/:bot/:method', files, (req, res) => this.call(req, res))
    this.server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s))
    })
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  private download(req: Request, res: Response): void {
    const segments = (req.params as { path: string[] }).path
    const file = [...this.files.values()].find((f) => f.file.file_path === segments.join('/'))
    if (req.params.bot !== `bot${this.token}` || !file) {
      res.status(404).json({ ok: false, error_code: 404, description: 'Not Found' })
      return
    }
    res.type('application/octet-stream').send(file.bytes)
  }

  private async call(req: Request, res: Response): Promise<void> {
    const method = String(req.params.method)
    const payload = (req.body ?? {}) as Record<string, unknown>
    this.calls.push({ method, payload, at: Date.now() })
    const fail = (e: InjectedError) =>
      res.status(e.error_code).json({
        ok: false,
        error_code: e.error_code,
        description: e.description,
        ...(e.retry_after !== undefined && { parameters: { retry_after: e.retry_after } }),
      })
    if (req.params.bot !== `bot${this.token}`) {
      fail({ error_code: 401, description: 'Unauthorized' })
      return
    }
    const drops = this.drops.get(method) ?? 0
    if (drops > 0) {
      this.drops.set(method, drops - 1)
      req.socket.destroy()
      return
    }
    const injected = this.failures.get(method)?.shift()
    if (injected) {
      fail(injected)
      return
    }
    const ok = (result: unknown) => res.json({ ok: true, result })
    const badRequest = (description: string) =>
      fail({ error_code: 400, description: `Bad Request: ${description}` })
    switch (method) {
      case 'getMe':
        return void ok(this.me)
      case 'getUpdates':
        return this.getUpdates(req, res, payload)
      case 'sendMessage': {
        const text = String(payload.text ?? '')
        if (!text.trim()) return void badRequest('message text is empty')
        if (text.length > 4096) return void badRequest('message is too long')
        const message = {
          message_id: this.nextMessageId++,
          from: this.me,
          chat: { id: Number(payload.chat_id), type: 'private', first_name: 'Ana' },
          date: Math.floor(Date.now() / 1000),
          text,
          ...(payload.reply_markup !== undefined && {
            reply_markup: payload.reply_markup as InlineKeyboardMarkup,
          }),
        } as Message.TextMessage
        this.sent.set(message.message_id, message)
        const ids = this.idsByChat.get(message.chat.id) ?? []
        this.idsByChat.set(message.chat.id, [...ids, message.message_id])
        return void ok(message)
      }
      case 'sendPhoto':
      case 'sendDocument': {
        const field = method === 'sendPhoto' ? 'photo' : 'document'
        const file = (req.files as Express.Multer.File[] | undefined)?.find(
          (f) => f.fieldname === field || `attach://${f.fieldname}` === payload[field],
        )
        if (!file) return void badRequest('there is no file in the request')
        const caption = payload.caption === undefined ? undefined : String(payload.caption)
        if (caption && caption.length > 1024) return void badRequest('message caption is too long')
        const chatId = Number(payload.chat_id)
        this.sentFiles.push({
          method,
          chatId,
          caption,
          fileName: file.originalname,
          bytes: file.buffer,
        })
        return void ok({
          message_id: this.nextMessageId++,
          from: this.me,
          chat: { id: chatId, type: 'private', first_name: 'Ana' },
          date: Math.floor(Date.now() / 1000),
          ...(caption !== undefined && { caption }),
        })
      }
      case 'editMessageText':
      case 'editMessageReplyMarkup': {
        const message = this.sent.get(Number(payload.message_id))
        if (!message || message.chat.id !== Number(payload.chat_id))
          return void badRequest('message to edit not found')
        const markup = payload.reply_markup as InlineKeyboardMarkup | undefined
        const text = method === 'editMessageText' ? String(payload.text ?? '') : message.text
        if (
          text === message.text &&
          JSON.stringify(markup?.inline_keyboard ?? []) ===
            JSON.stringify(message.reply_markup?.inline_keyboard ?? [])
        ) {
          return void badRequest(
            'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
          )
        }
        const edited = { ...message, text, edit_date: Math.floor(Date.now() / 1000) }
        if (markup?.inline_keyboard.length) edited.reply_markup = markup
        else delete edited.reply_markup
        this.sent.set(message.message_id, edited)
        return void ok(edited)
      }
      case 'answerCallbackQuery':
        return void ok(true)
      case 'getFile': {
        const stored = this.files.get(String(payload.file_id))
        if (!stored) return void badRequest('invalid file_id')
        if ((stored.file.file_size ?? 0) > GET_FILE_LIMIT) return void badRequest('file is too big')
        return void ok(stored.file)
      }
      case 'setWebhook':
        this.webhook = {
          url: String(payload.url),
          secret_token: payload.secret_token as string | undefined,
          allowed_updates: payload.allowed_updates as string[] | undefined,
        }
        for (const wake of this.waiters) wake() // a pending getUpdates now conflicts
        return void ok(true)
      case 'deleteWebhook':
        this.webhook = null
        return void ok(true)
      case 'setMyCommands':
        return void ok(true)
      default:
        fail({ error_code: 404, description: 'Not Found' })
    }
  }

  /** Long polling: answer at once when updates are waiting, else hold up to `timeout` s. */
  private async getUpdates(req: Request, res: Response, payload: Record<string, unknown>) {
    const offset = Number(payload.offset ?? 0)
    const limit = Math.min(100, Math.max(1, Number(payload.limit ?? 100)))
    const timeoutMs = Number(payload.timeout ?? 0) * 1000
    // An offset confirms every update before it: Telegram forgets them.
    if (offset > 0) this.pending = this.pending.filter((u) => u.update_id >= offset)
    const deadline = Date.now() + timeoutMs
    let closed = false
    res.on('close', () => (closed = true))
    for (;;) {
      if (closed) return
      if (this.webhook) {
        res.status(409).json({
          ok: false,
          error_code: 409,
          description:
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        })
        return
      }
      const ready = this.pending.filter((u) => u.update_id >= offset).slice(0, limit)
      const left = deadline - Date.now()
      if (ready.length > 0 || left <= 0) {
        res.json({ ok: true, result: ready })
        return
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer)
          this.waiters.delete(done)
          resolve()
        }
        const timer = setTimeout(done, left)
        this.waiters.add(done)
        res.once('close', done)
      })
    }
  }
}
