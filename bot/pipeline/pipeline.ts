import type { i18n } from 'i18next'
import { hotPathOf, type Db } from '../../app/db/open.ts'
import { translatorFor } from '../../app/i18n.ts'
import type { Logger } from '../../app/logger.ts'
import {
  currentPosition,
  parseSession,
  step,
  type EngineContext,
  type EngineInput,
  type FlowRegistry,
  type Output,
  type Session,
  type StepResult,
} from '../../flows/engine.ts'
import { inboundMessageSchema, type InboundMessage, type OutboxPayload } from '../messages.ts'
import { applyEffects, type Tx } from './apply-effects.ts'
import { ContactQueue } from './contact-queue.ts'
import { GroupCommitter } from './group-commit.ts'
import {
  conversationWriteStatements,
  preludeStatements,
  findUnhandledInbound,
  newId,
  readConversation,
  readInbound,
  isTruncated,
  type ContactRow,
  type ConversationWrite,
  type Queryable,
} from './conversation-store.ts'
import { renderOutputs } from './render-outputs.ts'
import { contactEffectStatements, isContactEffect } from './contact-effects.ts'
import { suggestCountry } from './suggest-country.ts'
import { storableMessage } from './storable-text.ts'
import { isTransientDbError } from './transient-error.ts'
import { FOLLOW_UP_THANKS_KEY, findFollowUpAnswer } from '../broadcasts/follow-up-answers.ts'

/**
 * A named data source the engine may ask for (upcoming trainings, a group's checklist…).
 * `now` is the message's clock (the same the engine sees), for "upcoming" and the like; the
 * pipeline always passes it.
 */
export type Loader = (
  q: Queryable,
  contact: ContactRow | null,
  args: Record<string, unknown> | undefined,
  now?: Date,
) => Promise<unknown>

export type PipelineOptions = {
  db: Db
  provider: 'sqlite' | 'postgresql'
  registry: FlowRegistry
  i18n: i18n
  logger: Logger
  loaders?: Record<string, Loader>
  now?: () => Date
  sessionIdleMs?: number
  defaultLocale?: string
  /** Shared with the dispatcher so their writes can share transactions. */
  committer?: GroupCommitter
  /** Called after a handled message's replies are committed (the dispatcher wakes up). */
  onCommitted?: (result: HandledMessage) => void
}

export type ReceiveResult =
  | { duplicate: true; inboundId: null }
  | { duplicate: false; inboundId: string; handled: Promise<HandledMessage | null> }

export type HandledMessage = {
  inboundId: string
  contactId: string
  status: 'handled' | 'failed'
  replies: { id: string; payload: OutboxPayload }[]
}

const MAX_LOADER_ROUNDS = 5
/** Tries at handling a message while the database fails: 0.5 + 1 + 2 + 4 + 8 + 8 + 8 s apart. */
const HANDLE_ATTEMPTS = 8

/**
 * The one inbound pipeline every channel feeds: store (deduplicated) → per-contact order →
 * engine → one transaction that saves the session, applies effects, writes the replies to the
 * outbox and marks the message handled.
 */
export class Pipeline {
  private readonly queue = new ContactQueue()
  private readonly committer: GroupCommitter
  private readonly now: () => Date
  private readonly idleMs: number
  private readonly inFlight = new Set<string>()
  private accepting = true

  constructor(private readonly opts: PipelineOptions) {
    this.committer = opts.committer ?? new GroupCommitter(hotPathOf(opts.db))
    this.now = opts.now ?? (() => new Date())
    this.idleMs = opts.sessionIdleMs ?? 24 * 3_600_000
  }

  /**
   * Takes one message from a channel. Resolves once it is durably stored (the channel may
   * acknowledge the platform then); `handled` resolves when the replies are in the outbox.
   */
  async receive(input: InboundMessage): Promise<ReceiveResult> {
    if (!this.accepting) throw new Error('pipeline is shutting down')
    const message = storableMessage(inboundMessageSchema.parse(input))
    const id = newId()
    if (!(await this.committer.storeInbound(id, message)))
      return { duplicate: true, inboundId: null }
    const truncated = isTruncated(message)
    return { duplicate: false, inboundId: id, handled: this.schedule(id, message, truncated) }
  }

  /**
   * Handles messages stored but never answered (the process died between storing and
   * handling). Safe to run while new messages arrive: each is handled once.
   */
  async resumeUnhandled(olderThanMs = 0): Promise<number> {
    const rows = await findUnhandledInbound(
      this.opts.db,
      new Date(this.now().getTime() - olderThanMs),
    )
    let resumed = 0
    for (const row of rows) {
      if (this.inFlight.has(row.id) || !row.channelUserId) continue
      const stored = await readInbound(this.opts.db, row.id)
      if (!stored || !stored.channelUserId) continue
      const message: InboundMessage = {
        channel: stored.channel as InboundMessage['channel'],
        channelUserId: stored.channelUserId,
        platformMessageId: stored.platformMessageId,
        text: stored.text ?? undefined,
        choice: stored.choice ?? undefined,
        media:
          stored.mediaKind && stored.mediaRef
            ? {
                kind: stored.mediaKind as NonNullable<InboundMessage['media']>['kind'],
                ref: stored.mediaRef,
                mime: stored.mediaMime ?? undefined,
              }
            : undefined,
        receivedAt: new Date(stored.receivedAt),
      }
      void this.schedule(stored.id, message, Boolean(stored.textTruncated))
      resumed++
    }
    return resumed
  }

  /** Stops taking messages and waits for those in hand. */
  async close(): Promise<void> {
    this.accepting = false
    await this.queue.drain()
  }

  private schedule(id: string, message: InboundMessage, truncated: boolean) {
    this.inFlight.add(id)
    const key = `${message.channel}:${message.channelUserId}`
    return this.queue
      .run(key, () => this.handleWithRetry(key, id, message, truncated))
      .then((result) => {
        if (result) this.opts.onCommitted?.(result)
        return result
      })
      .finally(() => this.inFlight.delete(id))
  }

  /**
   * Failures of the message itself end in an apology (handle); what reaches here is the
   * database failing (away for a few seconds, a locked file). Her message keeps its place in her
   * queue and is tried again with back-off (~30 s in all); after that the sweep of unanswered
   * messages takes it up. Each try re-reads the message's status, so it is answered once.
   */
  private async handleWithRetry(
    key: string,
    id: string,
    message: InboundMessage,
    truncated: boolean,
  ): Promise<HandledMessage | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.withContactLock(key, (q, inTx) =>
          this.handle(q, inTx, id, message, truncated),
        )
      } catch (error) {
        if (attempt >= HANDLE_ATTEMPTS || !this.accepting) throw error
        this.opts.logger.warn(
          { err: error, inboundId: id, attempt },
          'pipeline: retrying a message',
        )
        await new Promise((r) => setTimeout(r, Math.min(8_000, 250 * 2 ** attempt)))
      }
    }
  }

  /**
   * Across processes (PostgreSQL) her messages are serialised by a transaction-level advisory
   * lock on her channel id; the whole handling then runs inside that transaction.
   */
  private withContactLock<T>(
    key: string,
    fn: (q: Queryable, inTx: boolean) => Promise<T>,
  ): Promise<T> {
    const { db, provider } = this.opts
    if (provider !== 'postgresql') return fn(db, false)
    return db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`
        return fn(tx, true)
      },
      { timeout: 30_000, maxWait: 30_000 },
    )
  }

  private async handle(
    q: Queryable,
    inTx: boolean,
    inboundId: string,
    message: InboundMessage,
    truncated: boolean,
  ): Promise<HandledMessage | null> {
    // Outside a transaction the two reads every message makes take the direct path (SQLite).
    const reader = inTx ? q : hotPathOf(this.opts.db)
    const snapshot = await readConversation(
      reader,
      inboundId,
      message.channel,
      message.channelUserId,
    )
    if (snapshot.inboundStatus !== 'received') return null // handled elsewhere meanwhile
    const contact = snapshot.contact
    // Her replies are ordered by (createdAt, seq): time must move forward for her even when
    // two of her messages are handled within one millisecond (or under a fixed test clock).
    const last = contact?.lastInboundAt ? new Date(contact.lastInboundAt).getTime() : 0
    const now = new Date(Math.max(this.now().getTime(), last + 1))
    const contactId = contact?.id ?? newId()
    const base = {
      now,
      inboundId,
      contactId,
      newContact: contact
        ? null
        : {
            channel: message.channel,
            channelUserId: message.channelUserId,
            phone: message.phone ?? null,
          },
      channel: message.channel,
      channelUserId: message.channelUserId,
      attachment: savedAttachment(message),
    }
    if (message.media?.rejected) {
      return this.replyInPlace(q, inTx, base, contact, `pipeline.media_${message.media.rejected}`)
    }
    // Her answer to a broadcast's follow-up question ("1 = me interesa") is counted and thanked.
    const answer = await findFollowUpAnswer(reader, contact, message, now)
    if (answer) {
      const write = { ...base, effectStatements: answer.statements }
      return this.replyInPlace(q, inTx, write, contact, FOLLOW_UP_THANKS_KEY)
    }
    try {
      const session = snapshot.session ? parseSession(snapshot.session.state) : null
      const result = await this.runEngine(q, snapshot.openCaseId, contact, session, message, now)
      let locale = this.localeOf(contact)
      for (const e of result.effects) {
        if (e.kind === 'setContactField' && e.field === 'locale') locale = e.value
      }
      const consentAfter = result.effects.reduce<boolean>(
        (given, e) =>
          e.kind === 'giveConsent' ? true : e.kind === 'declineConsent' ? false : given,
        Boolean(contact?.consentAt),
      )
      const outputs: Output[] = truncated
        ? [{ kind: 'text', key: 'pipeline.truncated' }, ...result.outputs]
        : result.outputs
      const position = result.session ? currentPosition(result.session) : null
      const t = translatorFor(this.opts.i18n, locale)
      const prompt = position ? `${position.flowId}/${position.stepId}` : ''
      const buildWrite = (
        effectResults: Record<string, unknown>,
        erased: boolean,
      ): ConversationWrite => ({
        ...base,
        keepInboundText: consentAfter && !erased,
        session:
          result.session && !erased
            ? {
                flowId: position?.flowId ?? '',
                stepId: position?.stepId ?? '',
                state: JSON.stringify(result.session),
                specVersion: result.session.stack.at(-1)?.specVersion ?? 0,
                expiresAt: new Date(now.getTime() + this.idleMs),
              }
            : null,
        outbox: renderOutputs(outputs, t, effectResults, prompt).map((payload) => ({
          id: newId(),
          payload,
          origin: 'reply',
        })),
        inboundStatus: 'handled',
      })
      let write: ConversationWrite
      if (result.effects.every(isContactEffect)) {
        const effects = result.effects.filter(isContactEffect)
        write = {
          ...buildWrite({}, false),
          effectStatements: (db) =>
            effects.flatMap((e) => contactEffectStatements(db, e, contactId, now)),
        }
        await this.commit(q, inTx, write)
      } else {
        write = await this.inTransaction(q, inTx, async (tx) => {
          for (const st of preludeStatements(tx, base)) await st // effects refer to these rows
          const outcome = await applyEffects(result.effects, {
            tx,
            contactId,
            channel: message.channel,
            channelUserId: message.channelUserId,
            inboundId,
            now,
            renderScheduled: (o) => renderOutputs([o], t, {}, '')[0]!,
          })
          const w = buildWrite(outcome.results, outcome.erased)
          for (const s of conversationWriteStatements(tx, { ...w, preludeDone: true })) await s
          return w
        })
      }
      return {
        inboundId,
        contactId,
        status: 'handled',
        replies: write.outbox.map((o) => ({ id: o.id, payload: o.payload })),
      }
    } catch (error) {
      // The database away is not her message's fault: handleWithRetry tries it again.
      if (isTransientDbError(error)) throw error
      // One bad message must not stop her conversation: apologise, keep her session, go on.
      this.opts.logger.error({ err: error, inboundId }, 'pipeline: message failed')
      const reason = (error as Error).message?.slice(0, 500) ?? 'error'
      return this.replyInPlace(q, inTx, base, contact, 'pipeline.error', reason)
    }
  }

  /**
   * One short reply that leaves her where she was: after a failure (the message is marked
   * failed with the reason) or when the channel could not keep her file (nothing is stored).
   */
  private async replyInPlace(
    q: Queryable,
    inTx: boolean,
    base: Omit<ConversationWrite, 'keepInboundText' | 'session' | 'outbox' | 'inboundStatus'>,
    contact: ContactRow | null,
    key: string,
    failure?: string,
  ): Promise<HandledMessage> {
    const t = translatorFor(this.opts.i18n, this.localeOf(contact))
    const write: ConversationWrite = {
      ...base,
      keepInboundText: Boolean(contact?.consentAt),
      session: 'keep',
      outbox: [{ id: newId(), payload: { kind: 'text', text: String(t(key)) }, origin: 'reply' }],
      inboundStatus: failure === undefined ? 'handled' : 'failed',
      error: failure,
    }
    await this.commit(q, inTx, write)
    return {
      inboundId: base.inboundId,
      contactId: base.contactId,
      status: write.inboundStatus,
      replies: write.outbox,
    }
  }

  private localeOf(contact: ContactRow | null): string {
    return contact?.locale ?? this.opts.defaultLocale ?? 'es'
  }

  private async runEngine(
    q: Queryable,
    openCaseId: number | null,
    contact: ContactRow | null,
    session: Session | null,
    message: InboundMessage,
    now: Date,
  ): Promise<Extract<StepResult, { kind: 'done' }>> {
    const input = engineInput(message)
    const fields: EngineContext['contact']['fields'] = {
      suggestedCountry: suggestCountry(message.phone ?? contact?.phone ?? null),
      openCaseId,
    }
    const locale = this.localeOf(contact)
    const ctx: EngineContext = {
      now,
      newId,
      t: translatorFor(this.opts.i18n, locale) as EngineContext['t'],
      contact: {
        locale: contact?.locale ?? null,
        country: (contact?.country as 'BO' | 'PA' | null) ?? null,
        consent: contact?.consentAt ? 'given' : contact?.consentDeclinedAt ? 'declined' : 'none',
        optedOut: Boolean(contact?.optedOutAt),
        fields,
      },
      data: {},
      config: { sessionIdleMs: this.idleMs, faqSearch: true },
    }
    for (let round = 0; round < MAX_LOADER_ROUNDS; round++) {
      const result = step(this.opts.registry, session, input, ctx)
      if (result.kind === 'done') return result
      for (const need of result.loaders) {
        const loader = this.opts.loaders?.[need.name]
        if (!loader) throw new Error(`no loader named ${need.name}`)
        ctx.data = { ...ctx.data, [need.name]: await loader(q, contact, need.args, now) }
      }
    }
    throw new Error('engine kept asking for data')
  }

  private async commit(q: Queryable, inTx: boolean, write: ConversationWrite): Promise<void> {
    if (inTx) {
      for (const s of conversationWriteStatements(q, write)) await s
      return
    }
    await this.committer.record(write)
  }

  private inTransaction<T>(q: Queryable, inTx: boolean, fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (inTx) return fn(q as Tx)
    return this.opts.db.$transaction((tx) => fn(tx), { timeout: 30_000, maxWait: 30_000 })
  }
}

function savedAttachment(message: InboundMessage): ConversationWrite['attachment'] {
  const media = message.media
  if (!media || media.rejected || media.size === undefined) return undefined
  return {
    id: newId(),
    kind: media.kind,
    mime: media.mime ?? null,
    size: media.size,
    storageKey: media.ref,
  }
}

function engineInput(message: InboundMessage): EngineInput {
  if (message.choice) return { kind: 'choice', optionId: message.choice, text: message.text }
  if (message.media) {
    return {
      kind: 'media',
      mediaKind: message.media.kind,
      ref: message.media.ref,
      text: message.text,
    }
  }
  return { kind: 'text', text: message.text ?? '' }
}
