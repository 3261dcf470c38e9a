import { defineFlow } from '../define-flow.ts'
import { COUNTRY_OPTIONS, LANGUAGE_OPTIONS, yesNoOptions } from './common.ts'

/**
 * First contact: who Minka is, what is stored and why, consent; then language and country.
 * The engine keeps her here until she answers the consent question.
 */
export const onboarding = defineFlow({
  id: 'onboarding',
  specVersion: 1,
  start: 'welcome',
  steps: {
    welcome: { kind: 'message', key: 'flows.onboarding.welcome', next: 'consent' },
    consent: {
      kind: 'choice',
      key: 'flows.onboarding.consent',
      options: [
        { id: 'accept', key: 'flows.onboarding.accept', next: 'give_consent' },
        { id: 'decline', key: 'flows.onboarding.decline', next: 'decline_consent' },
      ],
    },
    give_consent: { kind: 'effect', effect: { kind: 'giveConsent' }, next: 'language' },
    decline_consent: { kind: 'effect', effect: { kind: 'declineConsent' }, next: 'declined' },
    declined: { kind: 'message', key: 'flows.onboarding.declined', next: 'info' },
    info: { kind: 'flow', flow: 'info', next: 'end' },

    // The info menu's "I accept" enters here. The languages come from the panel's settings
    // (es, en and those staff enabled); without that data, Spanish and English.
    language: {
      kind: 'choice',
      key: 'flows.onboarding.language',
      optionsFrom: 'languageOptions',
      empty: 'builtin_language',
      saveAs: 'locale',
      next: 'set_language',
    },
    builtin_language: {
      kind: 'choice',
      key: 'flows.onboarding.language',
      options: LANGUAGE_OPTIONS,
      saveAs: 'locale',
      next: 'set_language',
    },
    set_language: {
      kind: 'effect',
      effect: { kind: 'setContactField', field: 'locale', value: { $var: 'locale' } },
      next: 'suggested_country',
    },
    // The runtime suggests a country from a +591 / +507 number: confirming is one tap.
    suggested_country: {
      kind: 'branch',
      cases: [
        {
          when: { path: 'contact.fields.suggestedCountry', op: 'eq', value: 'BO' },
          next: 'confirm_bolivia',
        },
        {
          when: { path: 'contact.fields.suggestedCountry', op: 'eq', value: 'PA' },
          next: 'confirm_panama',
        },
      ],
      else: 'country',
    },
    confirm_bolivia: {
      kind: 'choice',
      key: 'flows.onboarding.confirm_bolivia',
      options: yesNoOptions('set_bolivia', 'country'),
    },
    confirm_panama: {
      kind: 'choice',
      key: 'flows.onboarding.confirm_panama',
      options: yesNoOptions('set_panama', 'country'),
    },
    set_bolivia: {
      kind: 'effect',
      effect: { kind: 'setContactField', field: 'country', value: 'BO' },
      next: 'ready',
    },
    set_panama: {
      kind: 'effect',
      effect: { kind: 'setContactField', field: 'country', value: 'PA' },
      next: 'ready',
    },
    country: {
      kind: 'choice',
      key: 'flows.onboarding.country',
      options: COUNTRY_OPTIONS,
      saveAs: 'country',
      next: 'set_country',
    },
    set_country: {
      kind: 'effect',
      effect: { kind: 'setContactField', field: 'country', value: { $var: 'country' } },
      next: 'ready',
    },
    ready: { kind: 'message', key: 'flows.onboarding.ready', next: 'menu' },
    menu: { kind: 'flow', flow: 'menu', next: 'end' },
  },
})
