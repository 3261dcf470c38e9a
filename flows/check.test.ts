import { describe, expect, it } from 'vitest'
import { readLocaleResources } from '../app/i18n.ts'
import { checkFlows, type Problem } from './check.ts'
import type { FlowDefinition } from './define-flow.ts'
import { flowDefinitions } from './definitions/index.ts'
import { FlowCheckError, loadFlows } from './registry.ts'
import { resourcesWith } from './testing/small-world.ts'

const resources = resourcesWith({
  't.q': 'Pregunta',
  't.a': 'Uno',
  't.b': 'Dos',
  't.si': 'Sí',
  't.si2': 'si',
  't.coop': 'Cooperativa',
  't.coops': 'Cooperativas',
  't.coops_synonyms': 'cooperativa',
})

function flow(steps: Record<string, unknown>, extra: Partial<FlowDefinition> = {}): FlowDefinition {
  return { id: 'test', specVersion: 1, start: 'first', steps, ...extra } as FlowDefinition
}

function problemsOf(definitions: unknown[], res = resources): Problem[] {
  return checkFlows(definitions, res, { requiredFlows: [] })
}

const say = (next: string) => ({ kind: 'message', key: 't.q', next })
const ask = (options: { id: string; key: string }[]) => ({
  kind: 'choice',
  key: 't.q',
  options,
  next: 'end',
})

describe('checkFlows', () => {
  it('finds nothing wrong with the real flows and locales', () => {
    expect(checkFlows(flowDefinitions, readLocaleResources())).toEqual([])
  })

  it('reports schema errors with where they are', () => {
    const problems = problemsOf([flow({ first: { kind: 'message', next: 'end' } }), { id: 42 }])
    expect(problems.map((p) => [p.kind, p.flowId, p.stepId])).toEqual(
      expect.arrayContaining([
        ['schema', 'test', 'first'],
        ['schema', '#1', undefined],
      ]),
    )
  })

  it('reports two flows with one id', () => {
    expect(problemsOf([flow({ first: say('end') }), flow({ first: say('end') })])).toEqual([
      expect.objectContaining({ kind: 'duplicateFlow', flowId: 'test' }),
    ])
  })

  it('reports a flow the engine needs that is missing', () => {
    const problems = checkFlows([flow({ first: say('end') })], resources, {
      requiredFlows: ['menu'],
    })
    expect(problems).toEqual([expect.objectContaining({ kind: 'missingFlow', flowId: 'menu' })])
  })

  it('reports unknown step ids, also as start', () => {
    expect(
      problemsOf([flow({ first: say('nowhere') }), flow({ x: say('end') }, { id: 'other' })]),
    ).toEqual([
      expect.objectContaining({ kind: 'unknownStep', flowId: 'test', stepId: 'first' }),
      expect.objectContaining({
        kind: 'unknownStep',
        flowId: 'other',
        message: 'start first is not a step',
      }),
      expect.objectContaining({ kind: 'unreachable', flowId: 'other', stepId: 'x' }),
    ])
  })

  it('reports unknown flows and unknown entry steps of called flows', () => {
    const problems = problemsOf([
      flow({
        first: { kind: 'flow', flow: 'ghost', next: 'second' },
        second: { kind: 'flow', flow: 'test', at: 'nope', next: 'end' },
      }),
    ])
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'unknownFlow', stepId: 'first' }),
      expect.objectContaining({ kind: 'unknownStep', stepId: 'second' }),
    ])
  })

  it('reports unreachable steps, counting entries from other flows', () => {
    const problems = problemsOf([
      flow({ first: say('end'), orphan: say('end'), entered: say('end') }),
      flow({ first: { kind: 'flow', flow: 'test', at: 'entered', next: 'end' } }, { id: 'caller' }),
    ])
    expect(problems).toEqual([expect.objectContaining({ kind: 'unreachable', stepId: 'orphan' })])
  })

  it('reports loops with no question in them', () => {
    const problems = problemsOf([flow({ first: say('second'), second: say('first') })])
    expect(problems).toEqual([expect.objectContaining({ kind: 'loop', flowId: 'test' })])
  })

  it('reports keys missing in any locale, and engine keys too', () => {
    const partial = structuredClone(resources)
    delete (partial.en!.engine as Record<string, unknown>).stuck
    const problems = checkFlows(
      [flow({ first: { kind: 'message', key: 't.nothing', next: 'end' } })],
      partial,
      {
        requiredFlows: [],
      },
    )
    expect(problems.map((p) => p.message)).toEqual([
      't.nothing missing in en',
      't.nothing missing in es',
      'engine.stuck missing in en',
    ])
  })

  it('reports options the matcher cannot tell apart', () => {
    const sameLabel = problemsOf([
      flow({
        first: ask([
          { id: 'yes', key: 't.si' },
          { id: 'yes2', key: 't.si2' },
        ]),
      }),
    ])
    expect(sameLabel.filter((p) => p.kind === 'ambiguousOptions')).toHaveLength(4) // 2 options × 2 locales
    const synonymSteals = problemsOf([
      flow({
        first: ask([
          { id: 'coop', key: 't.coop' },
          { id: 'coops', key: 't.coops' },
        ]),
      }),
    ])
    expect(synonymSteals).toContainEqual(
      expect.objectContaining({ kind: 'ambiguousOptions', stepId: 'first' }),
    )
    const fine = problemsOf([
      flow({
        first: ask([
          { id: 'a', key: 't.a' },
          { id: 'b', key: 't.b' },
        ]),
      }),
    ])
    expect(fine).toEqual([])
  })

  it('reports more options than one digit can pick', () => {
    const ten = Array.from({ length: 10 }, (_, i) => ({ id: `o${i}`, key: 't.q' }))
    expect(problemsOf([flow({ first: ask(ten) })])).toContainEqual(
      expect.objectContaining({ kind: 'tooManyOptions' }),
    )
  })

  it('reports vars read that no step saves', () => {
    const problems = problemsOf([
      flow({
        first: {
          kind: 'effect',
          effect: { kind: 'recordUnanswered', text: { $var: 'q' } },
          next: 'end',
        },
      }),
    ])
    expect(problems).toEqual([expect.objectContaining({ kind: 'unknownVar', stepId: 'first' })])
  })
})

describe('loadFlows', () => {
  it('throws one FlowCheckError listing every problem', () => {
    const broken = [flow({ first: say('nowhere'), second: say('first'), third: say('end') })]
    try {
      loadFlows(broken, resources, { requiredFlows: [] })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(FlowCheckError)
      const problems = (error as FlowCheckError).problems
      expect(problems.map((p) => p.kind).sort()).toEqual([
        'unknownStep',
        'unreachable',
        'unreachable',
      ])
      expect((error as Error).message).toContain('[unknownStep] test.first')
    }
  })

  it('loads the real flows', () => {
    const registry = loadFlows(flowDefinitions, readLocaleResources())
    expect([...registry.keys()]).toContain('menu')
  })
})
