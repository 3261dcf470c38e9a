import { describe, expect, it } from 'vitest'
import { EffectStepSchema } from './effect.ts'
import { smallConversation } from '../testing/small-world.ts'

describe('effect step', () => {
  it('emits its effect with refs resolved, numbers as strings', () => {
    const c = smallConversation(
      [
        {
          id: 'menu',
          specVersion: 1,
          start: 'n',
          steps: {
            n: {
              kind: 'input',
              key: 't.q',
              validator: { kind: 'integer', min: 1, max: 99 },
              saveAs: 'training',
              next: 'register',
            },
            register: {
              kind: 'effect',
              effect: { kind: 'registerTraining', trainingId: { $var: 'training' } },
              next: 'case',
            },
            case: {
              kind: 'effect',
              effect: { kind: 'createCase', topic: 'training', text: { $var: 'training' } },
              next: 'end',
            },
          },
        },
      ],
      { 't.q': '¿Qué capacitación?' },
    )
    c.send('hola')
    c.send('12')
    expect(c.last.effects).toEqual([
      { kind: 'registerTraining', trainingId: '12' },
      { kind: 'createCase', topic: 'training', text: '12' },
    ])
  })

  it('rejects an effect template that is no effect', () => {
    const bad = EffectStepSchema.safeParse({
      kind: 'effect',
      effect: { kind: 'setContactField', field: 'shoeSize', value: '38' },
      next: 'end',
    })
    expect(bad.success).toBe(false)
    const unknown = EffectStepSchema.safeParse({
      kind: 'effect',
      effect: { kind: 'launch' },
      next: 'end',
    })
    expect(unknown.success).toBe(false)
    const ok = EffectStepSchema.safeParse({
      kind: 'effect',
      effect: { kind: 'setContactField', field: 'locale', value: { $var: 'locale' } },
      next: 'end',
    })
    expect(ok.success).toBe(true)
  })
})
