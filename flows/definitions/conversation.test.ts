import type { i18n } from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import type { FlowRegistry } from '../registry.ts'
import { loadProgrammeFlows } from '../programme-flows.ts'
import { Conversation, DAY_MS, NO_DATA } from '../testing/conversation.ts'

let registry: FlowRegistry
let i18n: i18n

beforeAll(async () => {
  ;({ registry, i18n } = await loadProgrammeFlows())
})

function conversation(options: Partial<ConstructorParameters<typeof Conversation>[0]> = {}) {
  return new Conversation({ registry, i18n, loaders: NO_DATA, ...options })
}

describe('a whole conversation', () => {
  it('goes from the first hello through consent, language, country and the menu to a legal case', () => {
    const c = conversation()
    const hello = c.send('Hola')
    expect(hello[0]).toContain('Soy Minka')
    expect(hello[0]).toContain('MTEPS')
    expect(hello[0]).toContain('MITRADEL')
    expect(hello[0]).toContain('BORRAR MIS DATOS')
    expect(hello[1]).toBe('¿Acepta que guardemos estos datos?\n1. Acepto\n2. No acepto')

    expect(c.send('1')).toEqual(['¿En qué idioma prefiere que le escriba?\n1. Español\n2. English'])
    expect(c.contact.consent).toBe('given')
    expect(c.send('español')).toEqual(['¿En qué país está su grupo?\n1. Bolivia\n2. Panamá'])
    expect(c.contact.locale).toBe('es')
    const ready = c.send('bolibia')
    expect(c.contact.country).toBe('BO')
    expect(ready[1]).toBe(
      '¿En qué le puedo ayudar? Responda con el número de la opción.\n' +
        '1. ¿Qué es una cooperativa?\n2. Cómo formar nuestra cooperativa\n3. Nuestro grupo\n' +
        '4. Requisitos y documentos\n5. Capacitaciones\n6. Consulta legal o técnica\n' +
        '7. Preguntas frecuentes\n8. Hablar con una persona del equipo\n9. Mis datos',
    )

    const topics = c.send('seis')
    expect(topics[0]).toContain('3. Trámites ante la AFCOOP')
    expect(c.send('estatutos')).toEqual([
      'Cuéntenos su consulta en un solo mensaje, con todos los detalles que pueda. ' +
        'También puede enviar una nota de voz o una foto.',
    ])
    const created = c.send('¿Cuántas socias necesitamos como mínimo para los estatutos?')
    expect(c.last.effects).toEqual([
      {
        kind: 'createCase',
        topic: 'legal',
        subtopic: 'statutes',
        text: '¿Cuántas socias necesitamos como mínimo para los estatutos?',
        as: 'caseNumber',
      },
    ])
    expect(created[0]).toContain('Su número de caso es C-1.')
    expect(created[0]).toContain('días hábiles')
    expect(c.session?.stack).toEqual([])
  })

  it('confirms the country the phone number suggests with one tap', () => {
    const c = conversation({ contact: { fields: { suggestedCountry: 'PA' } } })
    c.send('hola')
    c.send('acepto')
    expect(c.send('2')).toEqual(['Is your group in Panama?\n1. Yes\n2. No'])
    const out = c.send('yes')
    expect(c.contact).toMatchObject({ locale: 'en', country: 'PA', consent: 'given' })
    expect(out[1]).toContain('. Talk to a person from the team')
  })

  it('keeps someone who declined in the information menu, and lets her accept later', () => {
    const c = conversation()
    c.send('hola')
    const declined = c.send('no acepto')
    expect(c.contact.consent).toBe('declined')
    expect(declined[0]).toContain('solo puedo darle información general')
    expect(c.send('MENU')[0]).toContain('1. Sobre el programa')
    expect(c.send('persona')[0]).toContain('1. Sobre el programa')
    expect(c.send('1')[0]).toContain('MTEPS')
    c.send('3')
    expect(c.contact.consent).toBe('given')
    expect(c.last.outputs.at(-1)).toMatchObject({ key: 'flows.onboarding.language' })
  })

  it('hands her over to a person with a case number', () => {
    const c = conversation({ contact: { consent: 'given', locale: 'es', country: 'BO' } })
    c.send('hola')
    const out = c.send('hablar con una persona')
    expect(c.last.effects).toEqual([{ kind: 'createCase', topic: 'human', as: 'caseNumber' }])
    expect(out[0]).toContain('caso C-1')
    expect(out[0]).toContain('MENU')
  })

  it('erases her after a yes, and starts over afterwards', () => {
    const c = conversation({ contact: { consent: 'given', locale: 'es', country: 'BO' } })
    c.send('hola')
    expect(c.send('borrar mis datos')[0]).toContain('¿Seguro que quiere borrar sus datos?')
    const out = c.send('sí')
    expect(c.last.effects).toEqual([{ kind: 'erase' }])
    expect(c.session).toBeNull()
    expect(out).toEqual([
      'Listo, borramos sus datos. Si nos escribe de nuevo, empezaremos desde el principio.',
    ])
    expect(c.send('hola')[0]).toContain('Soy Minka')
  })

  it('opts her out on STOP and offers to opt back in on her next message', () => {
    const c = conversation({ contact: { consent: 'given', locale: 'en', country: 'PA' } })
    c.send('hello')
    expect(c.send('STOP')[0]).toContain('We will not send you announcements')
    expect(c.contact.optedOut).toBe(true)
    expect(c.send('hi')[0]).toContain('Would you like to receive them again?')
    const out = c.send('yes')
    expect(c.contact.optedOut).toBe(false)
    expect(out[1]).toContain('. Talk to a person from the team')
  })

  it('welcomes her back after a day away', () => {
    const c = conversation({ contact: { consent: 'given', locale: 'es', country: 'BO' } })
    c.send('hola')
    c.send('consulta legal o técnica')
    c.now = new Date(c.now.getTime() + DAY_MS + 1)
    expect(c.send('hola')).toEqual([
      '¡Bienvenida de nuevo! La última vez quedamos a mitad de un tema. ¿Qué prefiere?\n' +
        '1. Seguir donde quedé\n2. Ir al menú',
    ])
    expect(c.send('1')[0]).toContain('¿Sobre qué tema es su consulta?')
  })
})

describe('joining a group with an invite code', () => {
  it('starts the join flow from UNIRME, /start or the code alone, not while she types an answer', () => {
    const loaders = {
      myGroup: () => null,
      regionOptions: () => null,
      groupByCode: () => ({ id: 'g1', name: 'Flores' }),
    }
    const member = { consent: 'given' as const, locale: 'es', country: 'BO' as const }
    for (const text of ['UNIRME K7M2QX', '/start K7M2QX', 'k7m2qx']) {
      const c = conversation({ contact: member, loaders })
      expect(c.send(text)[0]).toContain('¿Quiere unirse al grupo «Flores»')
      expect(c.session?.stack.at(-1)?.vars).toMatchObject({ inviteCode: 'K7M2QX' })
      c.send('sí')
      expect(c.last.effects).toEqual([{ kind: 'joinGroup', groupId: 'g1' }])
    }
    const typing = conversation({ contact: member, loaders })
    typing.send('hola')
    typing.send('nuestro grupo')
    typing.send('registrar')
    typing.send('K7M2QX') // her group's name, not a code
    expect(typing.session?.stack.at(-1)).toMatchObject({
      flowId: 'group',
      vars: { name: 'K7M2QX' },
    })
  })
})
