import { describe, expect, it } from 'vitest'
import { currentPosition, emptySession, parseSession } from './session.ts'

describe('parseSession', () => {
  it('reads back what was stored', () => {
    const session = {
      ...emptySession(new Date('2026-03-02T18:00:00Z')),
      stack: [{ flowId: 'menu', stepId: 'main', specVersion: 1, vars: { topic: 'taxes' } }],
    }
    expect(parseSession(JSON.stringify(session))).toEqual(session)
    expect(currentPosition(session)).toEqual({ flowId: 'menu', stepId: 'main' })
  })
  it.each([null, undefined, '', 'not json', '{}', '[]', '{"v":2}', 'null', '{"v":1,"stack":"x"}'])(
    'returns null for %j',
    (text) => {
      expect(parseSession(text)).toBeNull()
    },
  )
  it('has no position between flows', () => {
    expect(currentPosition(emptySession(new Date()))).toBeNull()
    expect(currentPosition(null)).toBeNull()
  })
})
