import { defineFlow } from '../define-flow.ts'

/** Her country and language for the loaders (they may have changed in this very message). */
const WHO = { country: { $contact: 'country' }, locale: { $contact: 'locale' } }

const answerVars = (loader: string) => ({
  question: { $data: `${loader}.question` },
  answer: { $data: `${loader}.answer` },
})

/**
 * Frequently asked questions for her country (and both) in her language: a list by pages, or
 * her own question searched in the FAQ. An unanswered question is recorded for staff and she
 * is offered a person. (Free text outside this flow reaches the FAQ through the engine's
 * `faqSearch` hook.)
 */
export const faq = defineFlow({
  id: 'faq',
  specVersion: 1,
  start: 'browse',
  steps: {
    browse: {
      kind: 'choice',
      key: 'faq.list',
      optionsFrom: 'faqList',
      loadArgs: { pick: { $var: 'pick' }, ...WHO },
      saveAs: 'pick',
      next: 'load_answer',
      on: { ask: 'ask', menu: 'to_menu' },
      empty: 'none',
    },
    // a question of the list: its answer; "more questions": the list again, at that page
    load_answer: {
      kind: 'branch',
      load: 'faqAnswer',
      loadArgs: { id: { $var: 'pick' }, ...WHO },
      cases: [{ when: { path: 'data.faqAnswer', op: 'missing' }, next: 'browse' }],
      else: 'answer',
    },
    answer: {
      kind: 'message',
      key: 'faq.answer',
      vars: answerVars('faqAnswer'),
      next: 'answer_then',
    },
    answer_then: {
      kind: 'branch',
      cases: [{ when: { path: 'data.faqAnswer.pending', op: 'eq', value: true }, next: 'after_pending' }], // prettier-ignore
      else: 'after',
    },
    after: {
      kind: 'choice',
      key: 'faq.after',
      options: [
        { id: 'other', key: 'faq.other', next: 'browse' },
        { id: 'ask', key: 'faq.ask', next: 'ask' },
        { id: 'menu', key: 'faq.menu', next: 'to_menu' },
      ],
    },
    after_pending: {
      kind: 'choice',
      key: 'faq.after_pending',
      options: [
        { id: 'human', key: 'faq.human', next: 'to_handoff' },
        { id: 'other', key: 'faq.other', next: 'browse' },
        { id: 'menu', key: 'faq.menu', next: 'to_menu' },
      ],
    },
    ask: {
      kind: 'input',
      key: 'faq.ask_prompt',
      validator: { kind: 'text', min: 3, max: 500 },
      saveAs: 'question',
      next: 'find',
    },
    find: {
      kind: 'branch',
      load: 'faqFind',
      loadArgs: { text: { $var: 'question' }, ...WHO },
      cases: [{ when: { path: 'data.faqFind', op: 'missing' }, next: 'not_found' }],
      else: 'found',
    },
    found: { kind: 'message', key: 'faq.answer', vars: answerVars('faqFind'), next: 'found_then' },
    found_then: {
      kind: 'branch',
      cases: [{ when: { path: 'data.faqFind.pending', op: 'eq', value: true }, next: 'after_pending' }], // prettier-ignore
      else: 'after',
    },
    not_found: {
      kind: 'effect',
      effect: { kind: 'recordUnanswered', text: { $var: 'question' } },
      next: 'offer_person',
    },
    offer_person: {
      kind: 'choice',
      key: 'faq.not_found',
      options: [
        { id: 'human', key: 'faq.human', next: 'case' },
        { id: 'other', key: 'faq.other', next: 'browse' },
        { id: 'menu', key: 'faq.menu', next: 'to_menu' },
      ],
    },
    case: {
      kind: 'effect',
      effect: { kind: 'createCase', topic: 'human', text: { $var: 'question' }, as: 'caseNumber' },
      next: 'case_created',
    },
    case_created: {
      kind: 'message',
      key: 'faq.case_created',
      vars: { caseNumber: { $effect: 'caseNumber' } },
      next: 'end',
    },
    none: { kind: 'message', key: 'faq.none', next: 'to_menu' },
    to_handoff: { kind: 'flow', flow: 'handoff', next: 'end' },
    to_menu: { kind: 'flow', flow: 'menu', next: 'end' },
  },
})
