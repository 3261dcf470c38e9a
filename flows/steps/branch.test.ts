import { describe, expect, it } from 'vitest'
import { holds } from './branch.ts'
import { smallConversation } from '../testing/small-world.ts'

describe('holds', () => {
  it.each([
    [{ op: 'eq', value: 'BO' }, 'BO', true],
    [{ op: 'eq', value: 'BO' }, 'PA', false],
    [{ op: 'neq', value: 'BO' }, 'PA', true],
    [{ op: 'exists' }, 0, true],
    [{ op: 'exists' }, null, false],
    [{ op: 'missing' }, undefined, true],
    [{ op: 'gt', value: 2 }, 3, true],
    [{ op: 'gt', value: 2 }, '3', false],
    [{ op: 'lt', value: 2 }, 1, true],
    [{ op: 'in', value: ['a', 'b'] }, 'b', true],
    [{ op: 'in', value: ['a', 'b'] }, 'c', false],
  ] as const)('%j with %j is %s', (condition, actual, expected) => {
    expect(holds({ path: 'var.x', ...condition } as Parameters<typeof holds>[0], actual)).toBe(
      expected,
    )
  })
})

describe('branch step', () => {
  const flows = [
    {
      id: 'menu',
      specVersion: 1,
      start: 'check',
      steps: {
        check: {
          kind: 'branch' as const,
          load: 'group',
          cases: [
            { when: { path: 'contact.country', op: 'eq' as const, value: 'PA' }, next: 'panama' },
            { when: { path: 'data.group.phase', op: 'gt' as const, value: 2 }, next: 'advanced' },
          ],
          else: 'start',
        },
        panama: { kind: 'message' as const, key: 't.panama', next: 'end' },
        advanced: { kind: 'message' as const, key: 't.advanced', next: 'end' },
        start: { kind: 'message' as const, key: 't.start', next: 'end' },
      },
    },
  ]
  const strings = { 't.panama': 'Panamá', 't.advanced': 'avanzado', 't.start': 'inicio' }

  it('takes the first case that holds, on contact facts or loaded data', () => {
    expect(
      smallConversation(flows, strings, { loaders: { group: () => ({ phase: 3 }) } }).send('x'),
    ).toEqual(['avanzado'])
    expect(
      smallConversation(flows, strings, { loaders: { group: () => ({ phase: 1 }) } }).send('x'),
    ).toEqual(['inicio'])
    const panama = smallConversation(flows, strings, {
      contact: { consent: 'given', country: 'PA' },
      loaders: { group: () => null },
    })
    expect(panama.send('x')).toEqual(['Panamá'])
    expect(panama.loaderCalls).toEqual([{ name: 'group' }])
  })
})
