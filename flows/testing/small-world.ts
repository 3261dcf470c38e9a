import { readLocaleResources, type LocaleResources, type LocaleTree } from '../../app/i18n.ts'
import type { FlowDefinition } from '../define-flow.ts'
import { loadFlows, type FlowRegistry } from '../registry.ts'
import { Conversation, type ConversationOptions } from './conversation.ts'

/** The real locales plus `strings` (dotted keys, same text in every language). */
export function resourcesWith(strings: Record<string, string>): LocaleResources {
  const resources = structuredClone(readLocaleResources())
  for (const tree of Object.values(resources)) {
    for (const [key, text] of Object.entries(strings)) {
      const parts = key.split('.')
      let node: LocaleTree = tree
      for (const part of parts.slice(0, -1)) {
        node[part] ??= {}
        node = node[part] as LocaleTree
      }
      node[parts.at(-1)!] = text
    }
  }
  return resources
}

/** A registry of a few test flows, checked like the real ones but without the engine's flows. */
export function smallRegistry(flows: FlowDefinition[], resources: LocaleResources): FlowRegistry {
  return loadFlows(flows, resources, { requiredFlows: [] })
}

/**
 * A conversation over test flows, with consent given: her first message starts the flow
 * with id `menu` (the engine's home flow).
 */
export function smallConversation(
  flows: FlowDefinition[],
  strings: Record<string, string>,
  options: Partial<ConversationOptions> = {},
): Conversation {
  const resources = resourcesWith(strings)
  return new Conversation({
    registry: smallRegistry(flows, resources),
    i18n: resources,
    contact: { consent: 'given', locale: 'es', country: 'BO' },
    ...options,
  })
}
