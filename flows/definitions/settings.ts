import { defineFlow } from '../define-flow.ts'
import { COUNTRY_OPTIONS, LANGUAGE_OPTIONS } from './common.ts'

export const language = defineFlow({
  id: 'language',
  specVersion: 1,
  start: 'choose',
  steps: {
    // es, en and the languages staff enabled; without that data, Spanish and English
    choose: {
      kind: 'choice',
      key: 'flows.language.choose',
      optionsFrom: 'languageOptions',
      empty: 'builtin',
      saveAs: 'locale',
      next: 'save',
    },
    builtin: {
      kind: 'choice',
      key: 'flows.language.choose',
      options: LANGUAGE_OPTIONS,
      saveAs: 'locale',
      next: 'save',
    },
    save: {
      kind: 'effect',
      effect: { kind: 'setContactField', field: 'locale', value: { $var: 'locale' } },
      next: 'done',
    },
    done: { kind: 'message', key: 'flows.language.done', next: 'end' },
  },
})

export const country = defineFlow({
  id: 'country',
  specVersion: 1,
  start: 'choose',
  steps: {
    choose: {
      kind: 'choice',
      key: 'flows.country.choose',
      options: COUNTRY_OPTIONS,
      saveAs: 'country',
      next: 'save',
    },
    save: {
      kind: 'effect',
      effect: { kind: 'setContactField', field: 'country', value: { $var: 'country' } },
      next: 'done',
    },
    done: { kind: 'message', key: 'flows.country.done', next: 'end' },
  },
})

/** What Minka keeps about her, and how to change or remove it. */
export const mydata = defineFlow({
  id: 'mydata',
  specVersion: 1,
  start: 'options',
  steps: {
    options: {
      kind: 'choice',
      key: 'flows.mydata.options',
      options: [
        { id: 'language', key: 'flows.mydata.language', next: 'language' },
        { id: 'country', key: 'flows.mydata.country', next: 'country' },
        { id: 'optout', key: 'flows.mydata.optout', next: 'optout' },
        { id: 'erase', key: 'flows.mydata.erase', next: 'erase' },
      ],
    },
    language: { kind: 'flow', flow: 'language', next: 'menu' },
    country: { kind: 'flow', flow: 'country', next: 'menu' },
    optout: { kind: 'flow', flow: 'optout', next: 'end' },
    erase: { kind: 'flow', flow: 'erase', next: 'end' },
    menu: { kind: 'flow', flow: 'menu', next: 'end' },
  },
})
