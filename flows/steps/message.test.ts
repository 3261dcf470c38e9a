import { describe, expect, it } from 'vitest'
import { smallConversation } from '../testing/small-world.ts'

describe('message step', () => {
  it('says its text with resolved vars and moves on', () => {
    const c = smallConversation(
      [
        {
          id: 'menu',
          specVersion: 1,
          start: 'name',
          steps: {
            name: {
              kind: 'input',
              key: 't.ask',
              validator: { kind: 'text' },
              saveAs: 'name',
              next: 'hi',
            },
            hi: {
              kind: 'message',
              key: 't.hi',
              vars: {
                name: { $var: 'name' },
                country: { $contact: 'country' },
                n: { $effect: 'x' },
              },
              next: 'bye',
            },
            bye: { kind: 'message', key: 't.bye', next: 'end' },
          },
        },
      ],
      { 't.ask': 'Nombre?', 't.hi': 'Hola {{name}} de {{country}}', 't.bye': 'Chau' },
    )
    expect(c.send('hola')).toEqual(['Nombre?'])
    expect(c.send('Rosa')).toEqual(['Hola Rosa de BO', 'Chau'])
    expect(c.last.outputs[0]).toEqual({
      kind: 'text',
      key: 't.hi',
      vars: { name: 'Rosa', country: 'BO', n: { $effect: 'x' } },
    })
    expect(c.session?.stack).toEqual([])
  })
})
