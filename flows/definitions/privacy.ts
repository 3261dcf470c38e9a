import { defineFlow } from '../define-flow.ts'
import { yesNoOptions } from './common.ts'

/** BAJA / STOP: no more announcements or reminders; she can still use the bot. */
export const optout = defineFlow({
  id: 'optout',
  specVersion: 1,
  start: 'opt_out',
  steps: {
    opt_out: { kind: 'effect', effect: { kind: 'optOut' }, next: 'done' },
    done: { kind: 'message', key: 'flows.optout.done', next: 'end' },
  },
})

/** Offered on her next message after opting out. */
export const optin = defineFlow({
  id: 'optin',
  specVersion: 1,
  start: 'ask',
  steps: {
    ask: { kind: 'choice', key: 'flows.optin.ask', options: yesNoOptions('opt_in', 'menu') },
    opt_in: { kind: 'effect', effect: { kind: 'optIn' }, next: 'done' },
    done: { kind: 'message', key: 'flows.optin.done', next: 'menu' },
    menu: { kind: 'flow', flow: 'menu', next: 'end' },
  },
})

/** BORRAR MIS DATOS: confirm, then the runtime erases her and the conversation. */
export const erase = defineFlow({
  id: 'erase',
  specVersion: 1,
  start: 'confirm',
  steps: {
    confirm: { kind: 'choice', key: 'flows.erase.confirm', options: yesNoOptions('erase', 'kept') },
    erase: { kind: 'effect', effect: { kind: 'erase' }, next: 'done' },
    done: { kind: 'message', key: 'flows.erase.done', next: 'end' },
    kept: { kind: 'message', key: 'flows.erase.kept', next: 'end' },
  },
})

/** AYUDA / HELP: what she can write; the question she was on is asked again after it. */
export const help = defineFlow({
  id: 'help',
  specVersion: 1,
  start: 'text',
  steps: {
    text: { kind: 'message', key: 'flows.help.text', next: 'end' },
  },
})
