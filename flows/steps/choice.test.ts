import { describe, expect, it } from 'vitest'
import type { FlowDefinition } from '../define-flow.ts'
import { smallConversation } from '../testing/small-world.ts'
import { ChoiceStepSchema } from './choice.ts'

const strings = {
  't.q': '¿Qué fruta?',
  't.apple': 'Manzana',
  't.apple_synonyms': 'poma, apple',
  't.pear': 'Pera',
  't.plum': 'Ciruela',
  't.got': 'Eligió {{fruit}}',
  't.other': 'otra ruta',
  't.trainings': '¿A cuál se inscribe?',
  't.training': '{{title}} el {{day}}',
  't.none': 'No hay capacitaciones',
}

const fruits: FlowDefinition = {
  id: 'menu',
  specVersion: 1,
  start: 'pick',
  steps: {
    pick: {
      kind: 'choice',
      key: 't.q',
      options: [
        { id: 'apple', key: 't.apple', next: 'other' },
        { id: 'pear', key: 't.pear' },
        { id: 'plum', key: 't.plum' },
      ],
      on: { pear: 'got' },
      next: 'got',
      saveAs: 'fruit',
    },
    got: { kind: 'message', key: 't.got', vars: { fruit: { $var: 'fruit' } }, next: 'end' },
    other: { kind: 'message', key: 't.other', next: 'end' },
  },
}

const trainings: FlowDefinition = {
  id: 'menu',
  specVersion: 1,
  start: 'list',
  steps: {
    list: {
      kind: 'choice',
      key: 't.trainings',
      optionsFrom: 'upcomingTrainings',
      loadArgs: { country: { $contact: 'country' } },
      empty: 'none',
      saveAs: 'trainingId',
      next: 'register',
    },
    register: {
      kind: 'effect',
      effect: { kind: 'registerTraining', trainingId: { $var: 'trainingId' } },
      next: 'end',
    },
    none: { kind: 'message', key: 't.none', next: 'end' },
  },
}

const twoTrainings = [
  { id: 'tr-7', key: 't.training', vars: { title: 'Gestión', day: 'lunes' } },
  { id: 'tr-9', key: 't.training', vars: { title: 'Contabilidad', day: 'jueves' } },
]

describe('choice step', () => {
  it('asks with numbered options and follows option next, then on, then next', () => {
    const c = smallConversation([fruits], strings)
    expect(c.send('hola')).toEqual(['¿Qué fruta?\n1. Manzana\n2. Pera\n3. Ciruela'])
    expect(c.send('1')).toEqual(['otra ruta'])
    c.send('hola')
    expect(c.send('pera')).toEqual(['Eligió pear'])
    c.send('hola')
    expect(c.send('la tercera')).toEqual(['Eligió plum'])
  })

  it('takes a button press by option id, and synonyms from <key>_synonyms', () => {
    const c = smallConversation([fruits], strings)
    c.send('hola')
    expect(c.send({ kind: 'choice', optionId: 'plum' })).toEqual(['Eligió plum'])
    c.send('hola')
    expect(c.send('una poma por favor')).toEqual(['otra ruta'])
  })

  it('asks again with a hint when it cannot tell which option she means', () => {
    const c = smallConversation([fruits], strings)
    c.send('hola')
    expect(c.send('banana')).toEqual([
      'No le entendí. Responda con un número del 1 al 3, o escriba la opción.',
      '¿Qué fruta?\n1. Manzana\n2. Pera\n3. Ciruela',
    ])
    expect(c.session?.misses).toBe(1)
    expect(c.send('2')).toEqual(['Eligió pear'])
    expect(c.session?.misses).toBe(0)
  })

  it('shows loaded options, and "2" means the second one she saw', () => {
    let list = twoTrainings
    const c = smallConversation([trainings], strings, {
      loaders: { upcomingTrainings: () => list },
    })
    expect(c.send('hola')).toEqual([
      '¿A cuál se inscribe?\n1. Gestión el lunes\n2. Contabilidad el jueves',
    ])
    expect(c.loaderCalls).toEqual([{ name: 'upcomingTrainings', args: { country: 'BO' } }])
    list = [] // the list changed since she read it: she still means what she saw
    expect(c.send('2')).toEqual(['No hay capacitaciones']) // nothing said: back home, reloaded
    expect(c.effects).toContainEqual({ kind: 'registerTraining', trainingId: 'tr-9' })
  })

  it('matches loaded options by their words and asks again without reloading', () => {
    const c = smallConversation([trainings], strings, {
      loaders: { upcomingTrainings: () => twoTrainings },
    })
    c.send('hola')
    const again = c.send('no sé')
    expect(again[1]).toContain('2. Contabilidad el jueves')
    expect(c.loaderCalls).toHaveLength(1)
    c.send('contabilidad')
    expect(c.effects).toContainEqual({ kind: 'registerTraining', trainingId: 'tr-9' })
  })

  it('goes to empty when the loader has nothing (or nothing valid)', () => {
    expect(
      smallConversation([trainings], strings, { loaders: { upcomingTrainings: () => [] } }).send(
        'x',
      ),
    ).toEqual(['No hay capacitaciones'])
    expect(
      smallConversation([trainings], strings, {
        loaders: { upcomingTrainings: () => ({ wrong: 1 }) },
      }).send('x'),
    ).toEqual(['No hay capacitaciones'])
  })

  it('must have options or optionsFrom, an empty step for loaded ones, and a way out of each option', () => {
    expect(ChoiceStepSchema.safeParse({ kind: 'choice', key: 't.q', next: 'x' }).success).toBe(
      false,
    )
    expect(
      ChoiceStepSchema.safeParse({ kind: 'choice', key: 't.q', optionsFrom: 'l', next: 'x' })
        .success,
    ).toBe(false)
    expect(
      ChoiceStepSchema.safeParse({ kind: 'choice', key: 't.q', options: [{ id: 'a', key: 't.a' }] })
        .success,
    ).toBe(false)
    expect(
      ChoiceStepSchema.safeParse({
        kind: 'choice',
        key: 't.q',
        options: [
          { id: 'a', key: 't.a' },
          { id: 'a', key: 't.b' },
        ],
        next: 'x',
      }).success,
    ).toBe(false)
  })
})
