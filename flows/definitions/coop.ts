import { defineFlow } from '../define-flow.ts'

/** Her country and language for the loaders (they may have changed in this very message). */
const WHO = { country: { $contact: 'country' }, locale: { $contact: 'locale' } }

const TOPICS = [
  { id: 'what', key: 'coop.what', next: 'card' },
  { id: 'values', key: 'coop.values', next: 'card' },
  { id: 'principles', key: 'coop.principles', next: 'card' },
  { id: 'difference', key: 'coop.difference', next: 'card' },
  { id: 'menu', key: 'coop.menu', next: 'to_menu' },
]
/** Bolivia adds the six principles of its Constitution (BO-01, COOP-31–36). */
const TOPICS_BO = [
  ...TOPICS.slice(0, 3),
  { id: 'bolivia', key: 'coop.bolivia', next: 'card' },
  ...TOPICS.slice(3),
]

/**
 * What a cooperative is: the definition, values, the seven principles (and Bolivia's six),
 * and how it differs from an association or a microenterprise. One card per message from the
 * database (coopCard), with "next", "previous", another topic or the menu (coopNav).
 */
export const coop = defineFlow({
  id: 'coop',
  specVersion: 1,
  start: 'topics_by_country',
  steps: {
    topics_by_country: {
      kind: 'branch',
      cases: [{ when: { path: 'contact.country', op: 'eq', value: 'BO' }, next: 'topics_bo' }],
      else: 'topics',
    },
    topics: { kind: 'choice', key: 'coop.topics', options: TOPICS, saveAs: 'topic' },
    topics_bo: { kind: 'choice', key: 'coop.topics', options: TOPICS_BO, saveAs: 'topic' },
    card: {
      kind: 'branch',
      load: 'coopCard',
      loadArgs: { topic: { $var: 'topic' }, at: { $var: 'at' }, ...WHO },
      cases: [
        { when: { path: 'data.coopCard', op: 'missing' }, next: 'none' },
        { when: { path: 'data.coopCard.variant', op: 'eq', value: 'hedged' }, next: 'hedged' },
        { when: { path: 'data.coopCard.variant', op: 'eq', value: 'pending' }, next: 'pending' },
      ],
      else: 'plain',
    },
    plain: { kind: 'message', key: 'coop.card', vars: cardVars(), next: 'nav' },
    hedged: { kind: 'message', key: 'coop.card_hedged', vars: cardVars(), next: 'nav' },
    pending: { kind: 'message', key: 'coop.card_pending', vars: cardVars(), next: 'nav' },
    nav: {
      kind: 'choice',
      key: 'coop.nav',
      optionsFrom: 'coopNav',
      loadArgs: { topic: { $var: 'topic' }, at: { $var: 'at' }, ...WHO },
      saveAs: 'at',
      next: 'card',
      on: { other_topic: 'topics_by_country', menu: 'to_menu', human: 'to_handoff' },
      empty: 'to_menu',
    },
    none: { kind: 'message', key: 'coop.none', next: 'topics_by_country' },
    to_handoff: { kind: 'flow', flow: 'handoff', next: 'end' },
    to_menu: { kind: 'flow', flow: 'menu', next: 'end' },
  },
})

function cardVars() {
  return {
    title: { $data: 'coopCard.title' },
    text: { $data: 'coopCard.text' },
    n: { $data: 'coopCard.n' },
    total: { $data: 'coopCard.total' },
  }
}
