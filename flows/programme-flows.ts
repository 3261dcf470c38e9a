import type { i18n } from 'i18next'
import { createI18n, readLocaleResources, type LocaleResources } from '../app/i18n.ts'
import { flowDefinitions } from './definitions/index.ts'
import { loadFlows, type FlowRegistry } from './registry.ts'

export type ProgrammeFlows = { registry: FlowRegistry; i18n: i18n; resources: LocaleResources }

/**
 * The programme's flows checked against the texts in locales/, and those texts ready to use:
 * what start-up, the terminal chat and every conversation test need. Throws listing every
 * problem in the flows (flows/check.ts).
 */
export async function loadProgrammeFlows(
  resources: LocaleResources = readLocaleResources(),
): Promise<ProgrammeFlows> {
  const registry = loadFlows(flowDefinitions, resources)
  return { registry, i18n: await createI18n(resources), resources }
}
