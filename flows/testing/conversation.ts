import type { i18n } from 'i18next'
import { translatorFor, type LocaleResources, type LocaleTree } from '../../app/i18n.ts'
import { lookupKey } from '../check.ts'
import type { ContactFacts, EngineContext, Translate } from '../context.ts'
import type { Effect } from '../effects.ts'
import type { EngineInput } from '../engine-input.ts'
import { step, type StepResult } from '../engine.ts'
import type { Output } from '../outputs.ts'
import type { FlowRegistry } from '../registry.ts'
import type { Session } from '../session.ts'

/**
 * A scripted conversation against the pure engine, playing the runtime's part in memory:
 * loaders answer `needData`, effects change the contact, `$effect` vars get their results,
 * outputs are rendered the way a plain-text channel shows them.
 */
export type ConversationOptions = {
  registry: FlowRegistry
  /** i18next instance (app/i18n.ts), or plain locale trees for small test flows. */
  i18n: i18n | LocaleResources
  contact?: Partial<ContactFacts>
  now?: Date
  loaders?: Record<string, (args?: Record<string, unknown>) => unknown>
  sessionIdleMs?: number
  faqSearch?: boolean
}

export const DAY_MS = 24 * 60 * 60 * 1000

/** Loaders that find nothing, whatever their name: for tests that do not look at data. */
export const NO_DATA: Record<string, () => null> = new Proxy({}, { get: () => () => null })

export function newContact(facts: Partial<ContactFacts> = {}): ContactFacts {
  return { locale: null, country: null, consent: 'none', optedOut: false, fields: {}, ...facts }
}

/** A translator over plain locale trees, for tests of small flows (Spanish fallback). */
export function treeTranslator(resources: LocaleResources, locale: string): Translate {
  return (key, vars) => {
    const text = lookupKey(resources[locale] as LocaleTree, key) ?? lookupKey(resources.es, key)
    if (text === undefined) return key
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(vars?.[name] ?? ''))
  }
}

export class Conversation {
  session: Session | null = null
  contact: ContactFacts
  now: Date
  /** Every effect applied so far, in order. */
  readonly effects: Effect[] = []
  /** Every result of `step` with kind 'done', in order. */
  readonly results: Extract<StepResult, { kind: 'done' }>[] = []
  /** Loader requests seen, in order. */
  readonly loaderCalls: { name: string; args?: Record<string, unknown> }[] = []
  private ids = 0
  private cases = 0

  readonly registry: FlowRegistry

  constructor(private readonly options: ConversationOptions) {
    this.registry = options.registry
    this.contact = newContact(options.contact)
    this.now = options.now ?? new Date('2026-03-02T18:00:00Z')
  }

  t(locale = this.contact.locale ?? 'es'): Translate {
    const source = this.options.i18n
    if ('getFixedT' in source && typeof source.getFixedT === 'function') {
      const fixed = translatorFor(source as i18n, locale)
      return (key, vars) => fixed(key, vars)
    }
    return treeTranslator(source as LocaleResources, locale)
  }

  context(data: Record<string, unknown> = {}): EngineContext {
    return {
      now: this.now,
      newId: () => `id-${++this.ids}`,
      t: this.t(),
      contact: structuredClone(this.contact),
      data,
      config: {
        sessionIdleMs: this.options.sessionIdleMs ?? DAY_MS,
        ...(this.options.faqSearch && { faqSearch: true }),
      },
    }
  }

  /** Sends one message; returns what she would read, one string per output. */
  send(message: string | EngineInput): string[] {
    const input: EngineInput =
      typeof message === 'string' ? { kind: 'text', text: message } : message
    const data: Record<string, unknown> = {}
    for (let round = 0; round < 10; round++) {
      const result = step(this.registry, this.session, input, this.context(data))
      if (result.kind === 'needData') {
        for (const need of result.loaders) {
          this.loaderCalls.push(need)
          const loader = this.options.loaders?.[need.name]
          if (!loader) throw new Error(`test has no loader ${need.name}`)
          data[need.name] = loader(need.args) ?? null
        }
        continue
      }
      this.results.push(result)
      this.session = result.session
      const effectResults = this.apply(result.effects)
      return result.outputs.map((o) => this.render(o, effectResults))
    }
    throw new Error('engine kept asking for data')
  }

  get last(): Extract<StepResult, { kind: 'done' }> {
    return this.results.at(-1)!
  }

  private apply(effects: Effect[]): Record<string, unknown> {
    const named: Record<string, unknown> = {}
    for (const effect of effects) {
      this.effects.push(effect)
      switch (effect.kind) {
        case 'giveConsent':
          this.contact.consent = 'given'
          break
        case 'declineConsent':
          this.contact.consent = 'declined'
          break
        case 'setContactField':
          if (effect.field === 'locale') this.contact.locale = effect.value
          else if (effect.field === 'country') this.contact.country = effect.value as 'BO' | 'PA'
          else this.contact.fields.region = effect.value
          break
        case 'optOut':
          this.contact.optedOut = true
          break
        case 'optIn':
          this.contact.optedOut = false
          break
        case 'erase':
          this.contact = newContact()
          break
        case 'createCase': {
          const id = ++this.cases
          this.contact.fields.openCaseId = id
          if (effect.as) named[effect.as] = `C-${id}`
          break
        }
        default:
          break
      }
    }
    return named
  }

  private render(output: Output, named: Record<string, unknown>): string {
    const t = this.t()
    const vars = (v?: Record<string, unknown>) =>
      v &&
      Object.fromEntries(
        Object.entries(v).map(([k, value]) => {
          const ref = value as { $effect?: string } | null
          return [k, ref && typeof ref === 'object' && ref.$effect ? named[ref.$effect] : value]
        }),
      )
    switch (output.kind) {
      case 'text':
        return t(output.key, vars(output.vars))
      case 'choice':
        return [
          t(output.key, vars(output.vars)),
          ...output.options.map((o, i) => `${i + 1}. ${t(o.key, vars(o.vars))}`),
        ].join('\n')
      case 'media':
        return `[media ${output.ref}]`
    }
  }
}
