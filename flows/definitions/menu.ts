import { defineFlow } from '../define-flow.ts'

/**
 * The main menu, in the order she sees it. A new option is one line here (the flow it opens)
 * and its label `flows.menu.<id>` (and optional `flows.menu.<id>_synonyms`) in each locale.
 * At most nine: options are answered with one digit.
 */
export const MENU_ENTRIES: readonly { id: string; flow: string }[] = [
  { id: 'coop', flow: 'coop' },
  { id: 'formation', flow: 'formation' },
  { id: 'group', flow: 'group' },
  { id: 'requirements', flow: 'requirements' },
  { id: 'trainings', flow: 'trainings' },
  { id: 'advice', flow: 'advice' },
  { id: 'faq', flow: 'faq' },
  { id: 'human', flow: 'handoff' },
  { id: 'mydata', flow: 'mydata' },
]

export const menu = defineFlow({
  id: 'menu',
  specVersion: 1,
  start: 'main',
  steps: {
    main: {
      kind: 'choice',
      key: 'flows.menu.main',
      options: MENU_ENTRIES.map((e) => ({
        id: e.id,
        key: `flows.menu.${e.id}`,
        next: `open_${e.id}`,
      })),
    },
    ...Object.fromEntries(
      MENU_ENTRIES.map((e) => [
        `open_${e.id}`,
        { kind: 'flow' as const, flow: e.flow, next: 'end' },
      ]),
    ),
  },
})
