import { defineFlow } from '../define-flow.ts'

/** Her country and language for the loaders (they may have changed in this very message). */
const WHO = { country: { $contact: 'country' }, locale: { $contact: 'locale' } }
const AT = { at: { $var: 'at' }, ...WHO }

function stepVars() {
  const v = (name: string) => ({ $data: `formationStep.${name}` })
  return {
    n: v('n'),
    total: v('total'),
    title: v('title'),
    text: v('text'),
    source: v('source'),
    phase: v('phase'),
    phases: v('phases'),
    phaseName: v('phaseName'),
  }
}

function introVars() {
  const v = (name: string) => ({ $data: `formationStep.${name}` })
  return { country: v('country'), law: v('law'), authority: v('authority'), total: v('total') }
}

/**
 * How to form our cooperative, step by step for her country: the legal steps (Requirement
 * rows of kind step, with their ContentFact text) and where the programme accompanies each
 * (a product choice kept in bot/loaders/content-loaders.ts). Facts not confirmed are never
 * shown as fact: the standard note and a person instead. A group member opens at the step of
 * her group's phase.
 */
export const formation = defineFlow({
  id: 'formation',
  specVersion: 1,
  start: 'has_country',
  steps: {
    has_country: {
      kind: 'branch',
      cases: [{ when: { path: 'contact.country', op: 'missing' }, next: 'ask_country' }],
      else: 'card',
    },
    ask_country: { kind: 'flow', flow: 'country', next: 'card' },
    card: {
      kind: 'branch',
      load: 'formationStep',
      loadArgs: AT,
      cases: [
        { when: { path: 'data.formationStep', op: 'missing' }, next: 'none' },
        { when: { path: 'data.formationStep.groupPhase', op: 'exists' }, next: 'group_intro' },
        { when: { path: 'data.formationStep.first', op: 'eq', value: true }, next: 'intro' },
      ],
      else: 'by_status',
    },
    group_intro: {
      kind: 'message',
      key: 'formation.group',
      vars: {
        phase: { $data: 'formationStep.groupPhase' },
        phases: { $data: 'formationStep.phases' },
        phaseName: { $data: 'formationStep.groupPhaseName' },
      },
      next: 'by_status',
    },
    intro: {
      kind: 'branch',
      cases: [
        { when: { path: 'data.formationStep.intro', op: 'eq', value: 'plain' }, next: 'intro_plain' }, // prettier-ignore
        { when: { path: 'data.formationStep.intro', op: 'eq', value: 'hedged' }, next: 'intro_hedged' }, // prettier-ignore
      ],
      else: 'intro_short',
    },
    intro_plain: { kind: 'message', key: 'formation.intro', vars: introVars(), next: 'by_status' },
    intro_hedged: {
      kind: 'message',
      key: 'formation.intro_hedged',
      vars: introVars(),
      next: 'by_status',
    },
    intro_short: {
      kind: 'message',
      key: 'formation.intro_short',
      vars: introVars(),
      next: 'by_status',
    },
    by_status: {
      kind: 'branch',
      cases: [
        { when: { path: 'data.formationStep.variant', op: 'eq', value: 'hedged' }, next: 'hedged' }, // prettier-ignore
        { when: { path: 'data.formationStep.variant', op: 'eq', value: 'pending' }, next: 'pending' }, // prettier-ignore
      ],
      else: 'plain',
    },
    plain: { kind: 'message', key: 'formation.step', vars: stepVars(), next: 'nav' },
    hedged: { kind: 'message', key: 'formation.step_hedged', vars: stepVars(), next: 'nav' },
    pending: { kind: 'message', key: 'formation.step_pending', vars: stepVars(), next: 'nav' },
    nav: {
      kind: 'choice',
      key: 'formation.nav',
      optionsFrom: 'formationNav',
      loadArgs: AT,
      saveAs: 'at',
      next: 'card',
      on: { menu: 'to_menu', human: 'to_handoff' },
      empty: 'to_menu',
    },
    none: { kind: 'message', key: 'formation.none', next: 'to_menu' },
    to_handoff: { kind: 'flow', flow: 'handoff', next: 'end' },
    to_menu: { kind: 'flow', flow: 'menu', next: 'end' },
  },
})
