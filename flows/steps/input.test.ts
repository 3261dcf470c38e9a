import { describe, expect, it } from 'vitest'
import type { FlowDefinition } from '../define-flow.ts'
import { smallConversation } from '../testing/small-world.ts'

const strings = {
  't.members': '¿Cuántas socias son?',
  't.children': '¿Cuántos hijos tiene?',
  't.date': '¿Qué día?',
  't.date_error': 'Fecha como 25/03/2026',
  't.saved': 'Guardado: {{value}}',
}

function askingFor(validator: object, error?: string): FlowDefinition {
  return {
    id: 'menu',
    specVersion: 1,
    start: 'ask',
    steps: {
      ask: {
        kind: 'input',
        key: 't.members',
        validator,
        saveAs: 'value',
        next: 'saved',
        ...(error && { error }),
      },
      saved: { kind: 'message', key: 't.saved', vars: { value: { $var: 'value' } }, next: 'end' },
    },
  } as FlowDefinition
}

describe('input step', () => {
  it('saves a valid answer and moves on', () => {
    const c = smallConversation([askingFor({ kind: 'integer', min: 7, max: 50 })], strings)
    expect(c.send('hola')).toEqual(['¿Cuántas socias son?'])
    expect(c.send('doce')).toEqual(['Escriba un número del 7 al 50, por favor.'])
    expect(c.send('12')).toEqual(['Guardado: 12'])
  })

  it('uses the step’s own error key when it has one', () => {
    const c = smallConversation([askingFor({ kind: 'date' }, 't.date_error')], strings)
    c.send('hola')
    expect(c.send('el martes')).toEqual(['Fecha como 25/03/2026'])
    expect(c.send('mañana')).toEqual(['Guardado: 2026-03-03'])
  })

  it('re-prompts on empty, blank or emoji-only text', () => {
    for (const text of ['', '   ', '🙂🙂🙂']) {
      const c = smallConversation([askingFor({ kind: 'text', min: 3, max: 20 })], strings)
      c.send('hola')
      expect(c.send(text)).toEqual([
        'Su respuesta es muy corta. Escriba al menos 3 letras, por favor.',
      ])
    }
    const c = smallConversation([askingFor({ kind: 'text', min: 3, max: 20 })], strings)
    c.send('hola')
    expect(c.send('x'.repeat(21))).toEqual([
      'Su mensaje es muy largo. Escríbalo en menos de 20 letras, por favor.',
    ])
  })

  it('takes "0" as the answer when the number may be 0, and as MENU otherwise', () => {
    const zeroOk = smallConversation([askingFor({ kind: 'integer', min: 0, max: 9 })], strings)
    zeroOk.send('hola')
    expect(zeroOk.send('0')).toEqual(['Guardado: 0'])

    const fromOne = smallConversation([askingFor({ kind: 'integer', min: 1, max: 9 })], strings)
    fromOne.send('hola')
    expect(fromOne.send('0')).toEqual(['¿Cuántas socias son?']) // MENU: the test's home flow again
    expect(fromOne.session?.stack[0]).toMatchObject({ flowId: 'menu', stepId: 'ask' })
  })

  it('reads yes/no and phone numbers', () => {
    const yesno = smallConversation([askingFor({ kind: 'yesno' })], strings)
    yesno.send('hola')
    expect(yesno.send('no sé')).toEqual(['Responda «sí» o «no», por favor.'])
    expect(yesno.send('sí, claro')).toEqual(['Guardado: true'])

    const phone = smallConversation([askingFor({ kind: 'phone', country: 'PA' })], strings)
    phone.send('hola')
    expect(phone.send('123')[0]).toContain('No reconozco ese número')
    expect(phone.send('6123-4567')).toEqual(['Guardado: +50761234567'])
  })
})
