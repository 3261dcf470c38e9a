import type { i18n } from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ContactFacts } from './context.ts'
import { step } from './engine.ts'
import type { EngineInput } from './engine-input.ts'
import type { FlowRegistry } from './registry.ts'
import { loadProgrammeFlows } from './programme-flows.ts'
import type { Session } from './session.ts'
import { Conversation, DAY_MS, NO_DATA, newContact } from './testing/conversation.ts'
import { smallConversation } from './testing/small-world.ts'

let registry: FlowRegistry
let i18n: i18n

beforeAll(async () => {
  ;({ registry, i18n } = await loadProgrammeFlows())
})

const member: Partial<ContactFacts> = { consent: 'given', locale: 'es', country: 'BO' }

function conversation(contact: Partial<ContactFacts> = member) {
  return new Conversation({ registry, i18n, contact, loaders: NO_DATA })
}

/** She is at the advice flow's "describe your question" step. */
function atDescribe(contact: Partial<ContactFacts> = member) {
  const c = conversation(contact)
  c.send('hola')
  c.send('consulta legal o técnica')
  c.send('impuestos')
  expect(c.session?.stack.at(-1)).toMatchObject({ flowId: 'advice', stepId: 'describe' })
  return c
}
const DESCRIBE =
  'Cuéntenos su consulta en un solo mensaje, con todos los detalles que pueda. También puede enviar una nota de voz o una foto.'

describe('global keywords from the middle of a flow', () => {
  it('AYUDA gives the short help, then asks the same question again', () => {
    const c = atDescribe()
    const out = c.send('AYUDA')
    expect(out[0]).toContain('ATRÁS: volver a la pregunta anterior')
    expect(out[1]).toBe(DESCRIBE)
    c.send('¿Qué impuestos paga una cooperativa?')
    expect(c.last.effects[0]).toMatchObject({
      kind: 'createCase',
      topic: 'legal',
      subtopic: 'taxes',
    })
  })

  it('ATRÁS walks back through the questions, across flows', () => {
    const c = atDescribe()
    expect(c.send('atrás')[0]).toContain('¿Sobre qué tema es su consulta?')
    expect(c.send('volver')[0]).toContain('¿En qué le puedo ayudar?')
    expect(c.session?.stack.map((f) => f.flowId)).toEqual(['menu'])
    const out = c.send('back')
    expect(out[0]).toBe('No hay una pregunta anterior.')
    expect(out[1]).toContain('¿En qué le puedo ayudar?')
  })

  it('IDIOMA changes the language, then asks the same question in it', () => {
    const c = atDescribe()
    expect(c.send('idioma')[0]).toContain('2. English')
    expect(c.send('2')).toEqual([
      'Done, I will write to you in English.',
      'Tell us your question in one message, with as many details as you can. You can also send a voice note or a photo.',
    ])
    expect(c.last.effects).toEqual([{ kind: 'setContactField', field: 'locale', value: 'en' }])
  })

  it('BORRAR MIS DATOS asks first; no keeps everything and goes on', () => {
    const c = atDescribe()
    expect(c.send('Borrar mis datos')[0]).toContain('¿Seguro que quiere borrar sus datos?')
    expect(c.send('no')).toEqual(['Está bien, no borramos nada.', DESCRIBE])
    expect(c.effects.some((e) => e.kind === 'erase')).toBe(false)
  })

  it('HUMANO hands over, MENU shows the menu, BAJA opts out', () => {
    const human = atDescribe()
    human.send('humano')
    expect(human.last.effects).toEqual([{ kind: 'createCase', topic: 'human', as: 'caseNumber' }])
    expect(human.session?.stack).toEqual([])

    const menu = atDescribe()
    expect(menu.send('Menú')[0]).toContain('¿En qué le puedo ayudar?')

    const stop = atDescribe()
    expect(stop.send('BAJA')[0]).toContain('Ya no le enviaremos avisos')
    expect(stop.last.effects).toEqual([{ kind: 'optOut' }])
  })

  it('a keyword inside a sentence is an answer, and "Cholas" is no "hola"', () => {
    const c = atDescribe()
    c.send('Necesito ayuda: somos las Cholas del mercado')
    expect(c.last.effects[0]).toMatchObject({
      kind: 'createCase',
      text: 'Necesito ayuda: somos las Cholas del mercado',
    })
  })
})

describe('consent gate', () => {
  it('keeps her in onboarding whatever she types', () => {
    const c = conversation(newContact())
    c.send('hola')
    for (const text of ['menu', 'persona', 'consulta legal', 'mis datos']) {
      const out = c.send(text)
      expect(c.session?.stack.map((f) => f.flowId)).toEqual(['onboarding'])
      expect(out.join('\n')).toMatch(/Acepto|Soy Minka/)
    }
    expect(c.effects).toEqual([])
    c.send('2')
    expect(c.effects).toEqual([{ kind: 'declineConsent' }])
  })

  it('still lets her say STOP or erase before consenting', () => {
    const c = conversation(newContact())
    c.send('hola')
    c.send('STOP')
    expect(c.effects).toEqual([{ kind: 'optOut' }])

    const e = conversation(newContact())
    e.send('hola')
    e.send('BORRAR MIS DATOS')
    e.send('sí')
    expect(e.effects).toEqual([{ kind: 'erase' }])
    expect(e.session).toBeNull()
  })
})

describe('idle sessions', () => {
  it('offers to continue or go to the menu after the idle time', () => {
    const c = atDescribe()
    c.now = new Date(c.now.getTime() + DAY_MS + 60_000)
    expect(c.send('hola')[0]).toContain('¡Bienvenida de nuevo!')
    expect(c.session?.resumeOffered).toBe(true)
    expect(c.send('2')[0]).toContain('¿En qué le puedo ayudar?')
    expect(c.session?.resumeOffered).toBeUndefined()
  })

  it('takes a direct answer to the pending question as that answer', () => {
    const c = atDescribe()
    c.now = new Date(c.now.getTime() + 2 * DAY_MS)
    c.send('hola')
    c.send('¿Cómo se declara el IVA de la cooperativa?')
    expect(c.last.effects[0]).toMatchObject({ kind: 'createCase', subtopic: 'taxes' })
  })

  it('does not greet back between flows', () => {
    const c = conversation()
    c.send('hola')
    c.send('persona')
    c.contact.fields = {} // staff closed the case
    c.now = new Date(c.now.getTime() + 3 * DAY_MS)
    expect(c.send('hola')[0]).toContain('¿En qué le puedo ayudar?')
  })
})

describe('flows that changed since the session was stored', () => {
  const stored = (frame: Partial<Session['stack'][number]>): Session => ({
    v: 1,
    stack: [{ flowId: 'advice', stepId: 'describe', specVersion: 1, vars: {}, ...frame }],
    misses: 0,
    lastActivityAt: '2026-03-02T17:59:00.000Z',
    history: [],
  })

  it.each([
    ['another specVersion', { specVersion: 0 }],
    ['a step that no longer exists', { stepId: 'gone' }],
  ])('restarts the flow with a notice for %s', (_, frame) => {
    const c = conversation()
    c.session = stored(frame)
    const out = c.send('mi consulta es sobre impuestos')
    expect(out[0]).toBe('Cambiamos esta parte del asistente, así que empezamos este tema de nuevo.')
    expect(out[1]).toContain('¿Sobre qué tema es su consulta?')
    expect(c.last.effects).toEqual([])
  })

  it('goes home with a notice when the flow is gone', () => {
    const c = conversation()
    c.session = stored({ flowId: 'ghost' })
    const out = c.send('1')
    expect(out[0]).toContain('Cambiamos esta parte')
    expect(out[1]).toContain('¿En qué le puedo ayudar?')
  })
})

describe('loaders', () => {
  it('asks for data without changing anything, then runs with it', () => {
    const flows = [
      {
        id: 'menu',
        specVersion: 1,
        start: 'show',
        steps: {
          show: {
            kind: 'message' as const,
            key: 't.group',
            load: 'group',
            loadArgs: { who: { $contact: 'country' } },
            vars: { name: { $data: 'group.name' } },
            next: 'end',
          },
        },
      },
    ]
    const c = smallConversation(flows, { 't.group': 'Su grupo: {{name}}' })
    const session: Session = {
      v: 1,
      stack: [],
      misses: 2,
      lastActivityAt: '2026-03-02T17:00:00.000Z',
      history: [],
    }
    const frozen = structuredClone(session)
    const first = step(c.registry, session, { kind: 'text', text: 'hola' }, c.context())
    expect(first).toEqual({ kind: 'needData', loaders: [{ name: 'group', args: { who: 'BO' } }] })
    expect(session).toEqual(frozen)
    const second = step(
      c.registry,
      session,
      { kind: 'text', text: 'hola' },
      c.context({ group: { name: 'Flor de Ceibo' } }),
    )
    expect(second).toMatchObject({
      kind: 'done',
      outputs: [{ kind: 'text', key: 't.group', vars: { name: 'Flor de Ceibo' } }],
    })
  })

  it('offers a hook for FAQ answers to free text between flows', () => {
    const c = new Conversation({
      registry,
      i18n,
      contact: member,
      faqSearch: true,
      loaders: {
        faqSearch: (args) =>
          String(args?.text).includes('socias') ? { key: 'flows.info.about_cooperative' } : null,
      },
    })
    expect(c.send('¿cuántas socias?')[0]).toContain('Una cooperativa es una empresa')
    expect(c.loaderCalls).toEqual([{ name: 'faqSearch', args: { text: '¿cuántas socias?' } }])
    expect(c.send('otra cosa')[0]).toContain('¿En qué le puedo ayudar?')
  })
})

describe('misunderstandings', () => {
  it('after three misses offers the menu or a person, and resets the count', () => {
    const c = conversation()
    c.send('hola')
    expect(c.send('banana')[0]).toMatch(/del 1 al \d/)
    c.send('pera')
    const stuck = c.send('kiwi')
    expect(stuck).toEqual([
      'Parece que no logro entenderle. ¿Qué prefiere hacer?\n1. Ver el menú\n2. Hablar con una persona',
    ])
    expect(c.session).toMatchObject({ misses: 0, stuckOffered: true })
    c.send('2')
    expect(c.last.effects).toEqual([{ kind: 'createCase', topic: 'human', as: 'caseNumber' }])
  })

  it('still takes an answer to the question after the stuck offer', () => {
    const c = conversation()
    c.send('hola')
    c.send('a')
    c.send('b')
    c.send('c')
    expect(c.send('mis datos')[0]).toContain('¿Qué quiere hacer con sus datos?')
  })
})

describe('media', () => {
  const photo: EngineInput = { kind: 'media', mediaKind: 'image', ref: 'media-1' }

  it('acknowledges and asks again when no case is open', () => {
    const c = conversation()
    c.send('hola')
    const out = c.send(photo)
    expect(out[0]).toBe('Recibimos su archivo, gracias.')
    expect(out[1]).toContain('¿En qué le puedo ayudar?')
    expect(c.last.effects).toEqual([])
  })

  it('adds it to her open case', () => {
    const c = conversation({ ...member, fields: { openCaseId: 12 } })
    c.send('hola')
    expect(c.send(photo)).toEqual(['Recibimos su archivo, gracias.'])
    expect(c.last.effects).toEqual([{ kind: 'appendToCase', mediaRef: 'media-1' }])
  })

  it('reads the caption as her answer', () => {
    const c = conversation()
    c.send('hola')
    expect(c.send({ ...photo, text: 'mis datos' })[0]).toContain('¿Qué quiere hacer con sus datos?')
  })

  it('adds free text between flows to her open case', () => {
    const c = conversation({ ...member, fields: { openCaseId: 12 } })
    expect(c.send('ya les mandé la foto')[0]).toContain('Agregamos su mensaje')
    expect(c.last.effects).toEqual([{ kind: 'appendToCase', text: 'ya les mandé la foto' }])
  })
})

describe('whatever she sends', () => {
  it('answers a 64 KB message without trouble', () => {
    const c = atDescribe()
    const started = performance.now()
    expect(c.send('a'.repeat(65536))[0]).toContain('Su mensaje es muy largo')
    const menu = conversation()
    menu.send('hola')
    expect(menu.send('consulta legal '.repeat(4400))[0]).toContain('¿Sobre qué tema')
    expect(performance.now() - started).toBeLessThan(500)
  })

  it('does not throw on input that is not an EngineInput', () => {
    const c = conversation()
    const result = step(registry, null, { kind: 'nonsense' } as unknown as EngineInput, c.context())
    expect(result.kind).toBe('done')
  })
})
