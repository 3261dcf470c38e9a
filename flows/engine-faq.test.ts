import type { i18n } from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import type { FlowRegistry } from './registry.ts'
import { loadProgrammeFlows } from './programme-flows.ts'
import { Conversation } from './testing/conversation.ts'
import { smallConversation } from './testing/small-world.ts'

let registry: FlowRegistry
let i18n: i18n

beforeAll(async () => {
  ;({ registry, i18n } = await loadProgrammeFlows())
})

const found = { key: 'faq.found', vars: { question: '¿Qué es el IPACOOP?', answer: 'Es el instituto.' } } // prettier-ignore
const missed = { unanswered: true, key: 'faq.search_miss' }

function faqConversation(result: unknown) {
  return new Conversation({
    registry,
    i18n,
    contact: { consent: 'given', locale: 'es', country: 'PA' },
    faqSearch: true,
    // "hola" is no question: the search stays silent for it
    loaders: { faqSearch: (args) => (args?.text === 'hola' ? null : result) },
  })
}

describe('the FAQ hook', () => {
  it('answers free text the main menu does not understand, and she stays at the menu', () => {
    const c = faqConversation(found)
    c.send('hola')
    const out = c.send('qué hace el instituto panameño')
    expect(out).toEqual([expect.stringContaining('Es el instituto.')])
    expect(c.loaderCalls.at(-1)).toEqual({ name: 'faqSearch', args: { text: 'qué hace el instituto panameño' } }) // prettier-ignore
    expect(c.session?.stack.map((f) => f.flowId)).toEqual(['menu'])
    expect(c.session?.misses).toBe(0)
    expect(c.send('1')[0]).toContain('¿Qué quiere saber sobre las cooperativas?')
  })

  it('records an unanswered question, says so and asks the menu again', () => {
    const c = faqConversation(missed)
    c.send('hola')
    const out = c.send('mi vecina vende empanadas')
    expect(out[0]).toContain('No encontré una respuesta')
    expect(out[1]).toContain('¿En qué le puedo ayudar?')
    expect(c.last.effects).toEqual([{ kind: 'recordUnanswered', text: 'mi vecina vende empanadas' }]) // prettier-ignore
  })

  it("keeps the menu's own re-prompt when the search has nothing to say", () => {
    const c = faqConversation(null)
    c.send('hola')
    const out = c.send('xq')
    expect(out[0]).toContain('No le entendí')
    expect(c.session?.misses).toBe(1)
    expect(c.last.effects).toEqual([])
  })

  it('records between flows too, then shows the menu', () => {
    const c = faqConversation(missed)
    c.send('hola')
    c.send('mis datos') // a flow that ends leaves her between flows
    c.session = { ...c.session!, stack: [] }
    const out = c.send('una pregunta que nadie escribió')
    expect(out[0]).toContain('No encontré una respuesta')
    expect(out[1]).toContain('¿En qué le puedo ayudar?')
    expect(c.last.effects).toEqual([{ kind: 'recordUnanswered', text: 'una pregunta que nadie escribió' }]) // prettier-ignore
  })
})

describe('her facts as steps read them', () => {
  it('count the country this very message set', () => {
    const c = smallConversation(
      [
        {
          id: 'menu',
          specVersion: 1,
          start: 'ask',
          steps: {
            ask: {
              kind: 'choice',
              key: 't.q',
              options: [{ id: 'PA', key: 't.pa' }],
              saveAs: 'country',
              next: 'save',
            },
            save: {
              kind: 'effect',
              effect: { kind: 'setContactField', field: 'country', value: { $var: 'country' } },
              next: 'show',
            },
            show: {
              kind: 'message',
              key: 't.show',
              load: 'steps',
              loadArgs: { country: { $contact: 'country' } },
              vars: { country: { $contact: 'country' } },
              next: 'end',
            },
          },
        },
      ],
      { 't.q': '¿País?', 't.pa': 'Panamá', 't.show': 'Pasos de {{country}}' },
      { contact: { consent: 'given', locale: 'es', country: null }, loaders: { steps: () => 1 } },
    )
    c.send('hola')
    expect(c.send('1')).toEqual(['Pasos de PA'])
    expect(c.loaderCalls).toEqual([{ name: 'steps', args: { country: 'PA' } }])
  })

  it('answers a question asked at another numbered question, then asks that question again', () => {
    const c = faqConversation(found)
    c.send('hola')
    const options = c.send('1') // "what is a cooperative": a numbered choice of topics
    const out = c.send('qué hace el instituto panameño')
    expect(out[0]).toContain('Es el instituto.')
    expect(out.at(-1)).toBe(options.at(-1))
  })

  it('takes a short miss at another question for a typo, not a question', () => {
    const c = faqConversation(found)
    c.send('hola')
    c.send('1')
    const calls = c.loaderCalls.length
    expect(c.send('xq zz')[0]).toContain('No le entendí')
    expect(c.loaderCalls.slice(calls).some((l) => l.name === 'faqSearch')).toBe(false)
  })
})
