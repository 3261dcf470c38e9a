import type { i18n } from 'i18next'
import type { Db } from '../../app/db/open.ts'
import { readLocaleResources, type LocaleResources, type LocaleTree } from '../../app/i18n.ts'
import type { Logger } from '../../app/logger.ts'
import { beneficiaryKeys } from './translation-keys.ts'

// Staff translations live in TranslationOverride and are laid over the locale files inside
// the shared i18next instance, so the bot, the renderer and the panel read them with the
// usual t(). A language's bundle is rebuilt whole (files + overrides) on every load: a deleted
// override then falls back to the file's text, or to Spanish, with no leftovers.

export type OverrideRow = { locale: string; key: string; value: string }

let fileResources: LocaleResources | undefined

/** The locale files as shipped, read once per process. */
export function shippedResources(): LocaleResources {
  return (fileResources ??= readLocaleResources())
}

const overridden = new WeakMap<i18n, Set<string>>()

function setKey(tree: LocaleTree, key: string, value: string): void {
  const parts = key.split('.')
  let node = tree
  for (const part of parts.slice(0, -1)) {
    const next = node[part]
    if (typeof next === 'object') node = next
    else node = node[part] = {}
  }
  node[parts.at(-1)!] = value
}

/**
 * Lays the overrides over the shipped texts in `instance`. Overrides of Spanish (the
 * reference) and of keys no beneficiary reads are ignored; so are keys the files no longer
 * have. Languages overridden before and not now get their files back.
 */
export function applyOverrides(
  instance: i18n,
  rows: readonly OverrideRow[],
  base: LocaleResources = shippedResources(),
): void {
  const allowed = new Set(beneficiaryKeys(base))
  const byLanguage = new Map<string, OverrideRow[]>()
  for (const row of rows) {
    if (row.locale === 'es' || !allowed.has(row.key)) continue
    byLanguage.set(row.locale, [...(byLanguage.get(row.locale) ?? []), row])
  }
  const before = overridden.get(instance) ?? new Set<string>()
  for (const lng of new Set([...before, ...byLanguage.keys()])) {
    const tree = structuredClone(base[lng] ?? {})
    for (const row of byLanguage.get(lng) ?? []) setKey(tree, row.key, row.value)
    instance.removeResourceBundle(lng, 'translation')
    if (Object.keys(tree).length > 0) instance.addResourceBundle(lng, 'translation', tree)
  }
  overridden.set(instance, new Set(byLanguage.keys()))
}

type Stamp = string

/**
 * Keeps an i18next instance in step with TranslationOverride. `load()` at start and after a
 * change in this process; `start()` checks every `intervalMs` whether another process changed
 * the table (its row count and latest `updatedAt`: an edit, a new or a deleted override all
 * move one of them) and reloads only then.
 */
export class TranslationOverrideSync {
  private stamp: Stamp | undefined
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly db: Pick<Db, 'translationOverride'>,
    private readonly instance: i18n,
    private readonly opts: { intervalMs?: number; logger?: Logger; base?: LocaleResources } = {},
  ) {}

  private async currentStamp(): Promise<Stamp> {
    const agg = await this.db.translationOverride.aggregate({
      _count: { _all: true },
      _max: { updatedAt: true },
    })
    return `${agg._count._all}:${agg._max.updatedAt?.getTime() ?? 0}`
  }

  /** Reads every override and applies it. */
  async load(): Promise<number> {
    const stamp = await this.currentStamp()
    const rows = await this.db.translationOverride.findMany({
      select: { locale: true, key: true, value: true },
    })
    applyOverrides(this.instance, rows, this.opts.base)
    this.stamp = stamp
    return rows.length
  }

  /** Reloads when the table changed since the last load; true when it did. */
  async refreshIfStale(): Promise<boolean> {
    if ((await this.currentStamp()) === this.stamp) return false
    await this.load()
    return true
  }

  start(): void {
    if (this.timer) return
    this.timer = setInterval(() => {
      this.refreshIfStale().catch((err: unknown) =>
        this.opts.logger?.warn({ err }, 'translations: reloading overrides failed'),
      )
    }, this.opts.intervalMs ?? TRANSLATION_REFRESH_MS)
    this.timer.unref()
  }

  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }
}

/** How often a process looks for overrides another process saved. */
export const TRANSLATION_REFRESH_MS = 10_000
