import { defineFlow } from '../define-flow.ts'

/**
 * The limited menu for someone who declined consent: general information only, nothing
 * stored about her, and a way to accept after all.
 */
export const info = defineFlow({
  id: 'info',
  specVersion: 1,
  start: 'options',
  steps: {
    options: {
      kind: 'choice',
      key: 'flows.info.options',
      options: [
        { id: 'programme', key: 'flows.info.programme', next: 'about_programme' },
        { id: 'cooperative', key: 'flows.info.cooperative', next: 'about_cooperative' },
        { id: 'accept', key: 'flows.info.accept', next: 'give_consent' },
      ],
    },
    about_programme: { kind: 'message', key: 'flows.info.about_programme', next: 'options' },
    about_cooperative: { kind: 'message', key: 'flows.info.about_cooperative', next: 'options' },
    give_consent: { kind: 'effect', effect: { kind: 'giveConsent' }, next: 'thanks' },
    thanks: { kind: 'message', key: 'flows.info.thanks', next: 'onboarding' },
    onboarding: { kind: 'flow', flow: 'onboarding', at: 'language', next: 'end' },
  },
})
