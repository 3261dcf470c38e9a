import type { TFunction } from 'i18next'
import type { Output } from '../../flows/engine.ts'
import type { OutboxPayload } from '../messages.ts'

type Vars = Record<string, unknown> | undefined

/** Replaces `{ $effect: name }` placeholders with what the runtime's effects returned. */
export function resolveEffectVars(vars: Vars, results: Record<string, unknown>): Vars {
  if (!vars) return vars
  return Object.fromEntries(
    Object.entries(vars).map(([k, v]) => {
      if (v && typeof v === 'object' && '$effect' in v) {
        return [k, results[String((v as { $effect: unknown }).$effect)] ?? '']
      }
      return [k, v]
    }),
  )
}

/**
 * Turns the engine's abstract outputs into outbox payloads in her language. `prompt` names the
 * question a choice belongs to, so an adapter can tell a stale button from a current one.
 */
export function renderOutputs(
  outputs: Output[],
  t: TFunction,
  effectResults: Record<string, unknown>,
  prompt: string,
): OutboxPayload[] {
  const text = (key: string, vars: Vars) =>
    String(t(key, resolveEffectVars(vars, effectResults) ?? {}))
  return outputs.map((o): OutboxPayload => {
    switch (o.kind) {
      case 'text':
        return { kind: 'text', text: text(o.key, o.vars) }
      case 'choice':
        return {
          kind: 'choice',
          text: text(o.key, o.vars),
          prompt,
          options: o.options.map((opt) => ({ id: opt.id, label: text(opt.key, opt.vars) })),
        }
      case 'media':
        return {
          kind: 'media',
          ref: o.ref,
          caption: o.captionKey ? text(o.captionKey, {}) : undefined,
        }
    }
  })
}
