import { flattenKeys, type LocaleResources, type LocaleTree } from '../app/i18n.ts'
import { FlowSchema, type Flow } from './define-flow.ts'
import { ALL_ENGINE_KEYS, ENGINE_FLOWS } from './engine-needs.ts'
import { matchOption, type MatchableOption } from './match-option.ts'
import type { OptionOutput } from './outputs.ts'
import { kindOf, type Step } from './steps/index.ts'
import { END } from './steps/step-kind.ts'

export type ProblemKind =
  | 'schema'
  | 'duplicateFlow'
  | 'missingFlow'
  | 'unknownStep'
  | 'unknownFlow'
  | 'unreachable'
  | 'loop'
  | 'missingKey'
  | 'ambiguousOptions'
  | 'tooManyOptions'
  | 'unknownVar'

/** One thing wrong in the definitions or locales, said so that a person can fix it. */
export type Problem = { kind: ProblemKind; flowId: string; stepId?: string; message: string }

export type CheckOptions = {
  /** Flows that must exist; default the ones the engine starts by itself. */
  requiredFlows?: readonly string[]
  /** Keys that must exist in every locale besides the flows' own; default the engine's. */
  requiredKeys?: readonly string[]
}

/** Options shown as numbers: more than nine would need two digits on a phone keypad. */
export const MAX_OPTIONS = 9

/** Every problem in the definitions, all at once; an empty list means they are fine. */
export function checkFlows(
  definitions: readonly unknown[],
  resources: LocaleResources,
  options: CheckOptions = {},
): Problem[] {
  return inspectFlows(definitions, resources, options).problems
}

/** The valid flows by id, and every problem found. */
export function inspectFlows(
  definitions: readonly unknown[],
  resources: LocaleResources,
  options: CheckOptions = {},
): { flows: Map<string, Flow>; problems: Problem[] } {
  const problems: Problem[] = []
  const flows = new Map<string, Flow>()

  for (const [index, definition] of definitions.entries()) {
    const parsed = FlowSchema.safeParse(definition)
    const flowId = idOf(definition) ?? `#${index}`
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const [first, stepId] = issue.path
        problems.push({
          kind: 'schema',
          flowId,
          ...(first === 'steps' && typeof stepId === 'string' && { stepId }),
          message: `${issue.path.join('.') || '(flow)'}: ${issue.message}`,
        })
      }
      continue
    }
    if (flows.has(parsed.data.id)) {
      problems.push({ kind: 'duplicateFlow', flowId, message: `two flows have the id ${flowId}` })
      continue
    }
    flows.set(parsed.data.id, parsed.data)
  }

  for (const flowId of options.requiredFlows ?? Object.values(ENGINE_FLOWS)) {
    if (!flows.has(flowId) && !problems.some((p) => p.flowId === flowId)) {
      problems.push({ kind: 'missingFlow', flowId, message: `the engine needs a flow ${flowId}` })
    }
  }

  const enteredAt = entryPoints(flows)
  const locales = localeKeys(resources)
  for (const flow of flows.values()) {
    problems.push(
      ...checkTargets(flow, flows),
      ...checkReachable(flow, enteredAt.get(flow.id) ?? []),
      ...checkLoops(flow),
      ...checkVars(flow),
      ...checkKeys(flow, locales),
      ...checkOptions(flow, resources),
    )
  }
  for (const key of options.requiredKeys ?? ALL_ENGINE_KEYS) {
    for (const [lng, keys] of locales) {
      if (!hasKey(keys, key)) {
        problems.push({
          kind: 'missingKey',
          flowId: '(engine)',
          message: `${key} missing in ${lng}`,
        })
      }
    }
  }
  return { flows, problems }
}

function idOf(definition: unknown): string | undefined {
  if (definition === null || typeof definition !== 'object') return undefined
  const id = (definition as { id?: unknown }).id
  return typeof id === 'string' ? id : undefined
}

function stepsOf(flow: Flow): [string, Step][] {
  return Object.entries(flow.steps)
}

/** `next: 'end'` is fine without a step of that name: it ends the flow. */
function targetExists(flow: Flow, target: string): boolean {
  return target === END || target in flow.steps
}

function checkTargets(flow: Flow, flows: Map<string, Flow>): Problem[] {
  const problems: Problem[] = []
  if (!(flow.start in flow.steps)) {
    problems.push({
      kind: 'unknownStep',
      flowId: flow.id,
      message: `start ${flow.start} is not a step`,
    })
  }
  for (const [stepId, step] of stepsOf(flow)) {
    const kind = kindOf(step)
    for (const target of kind.targets(step)) {
      if (!targetExists(flow, target)) {
        problems.push({
          kind: 'unknownStep',
          flowId: flow.id,
          stepId,
          message: `goes to ${target}, which is not a step of ${flow.id}`,
        })
      }
    }
    for (const call of kind.calls?.(step) ?? []) {
      const called = flows.get(call.flowId)
      if (!called) {
        problems.push({
          kind: 'unknownFlow',
          flowId: flow.id,
          stepId,
          message: `calls unknown flow ${call.flowId}`,
        })
      } else if (call.at !== undefined && !(call.at in called.steps)) {
        problems.push({
          kind: 'unknownStep',
          flowId: flow.id,
          stepId,
          message: `calls ${call.flowId} at ${call.at}, which is not a step of it`,
        })
      }
    }
  }
  return problems
}

/** Steps other flows enter directly (`flow` steps with `at`), by flow id. */
function entryPoints(flows: Map<string, Flow>): Map<string, string[]> {
  const entries = new Map<string, string[]>()
  for (const flow of flows.values()) {
    for (const [, step] of stepsOf(flow)) {
      for (const call of kindOf(step).calls?.(step) ?? []) {
        if (call.at !== undefined)
          entries.set(call.flowId, [...(entries.get(call.flowId) ?? []), call.at])
      }
    }
  }
  return entries
}

function successors(flow: Flow, stepId: string): string[] {
  const step = flow.steps[stepId]
  return step
    ? kindOf(step)
        .targets(step)
        .filter((t) => t in flow.steps)
    : []
}

function checkReachable(flow: Flow, extraEntries: string[]): Problem[] {
  const seen = new Set<string>()
  const queue = [flow.start, ...extraEntries].filter((s) => s in flow.steps)
  while (queue.length > 0) {
    const stepId = queue.pop()!
    if (seen.has(stepId)) continue
    seen.add(stepId)
    queue.push(...successors(flow, stepId))
  }
  return Object.keys(flow.steps)
    .filter((stepId) => !seen.has(stepId))
    .map((stepId) => ({
      kind: 'unreachable' as const,
      flowId: flow.id,
      stepId,
      message: `no path from ${flow.start} leads to ${stepId}`,
    }))
}

/** A cycle of steps that never wait for her would run forever within one message. */
function checkLoops(flow: Flow): Problem[] {
  const waits = (stepId: string) => {
    const step = flow.steps[stepId]
    return step !== undefined && kindOf(step).receive !== undefined
  }
  const state = new Map<string, 'open' | 'done'>()
  const problems: Problem[] = []
  const visit = (stepId: string): void => {
    state.set(stepId, 'open')
    for (const next of successors(flow, stepId).filter((s) => !waits(s))) {
      if (state.get(next) === 'open') {
        problems.push({
          kind: 'loop',
          flowId: flow.id,
          stepId: next,
          message: `${stepId} → ${next} closes a loop with no question in it`,
        })
      } else if (!state.has(next)) {
        visit(next)
      }
    }
    state.set(stepId, 'done')
  }
  for (const stepId of Object.keys(flow.steps))
    if (!waits(stepId) && !state.has(stepId)) visit(stepId)
  return problems
}

function checkVars(flow: Flow): Problem[] {
  const saved = new Set(stepsOf(flow).flatMap(([, step]) => kindOf(step).varsSaved?.(step) ?? []))
  return stepsOf(flow).flatMap(([stepId, step]) =>
    (kindOf(step).varsRead?.(step) ?? [])
      .filter((name) => !saved.has(name))
      .map((name) => ({
        kind: 'unknownVar' as const,
        flowId: flow.id,
        stepId,
        message: `reads var ${name}, which no step of ${flow.id} saves`,
      })),
  )
}

function localeKeys(resources: LocaleResources): Map<string, Set<string>> {
  return new Map(Object.entries(resources).map(([lng, tree]) => [lng, new Set(flattenKeys(tree))]))
}

/** A key is there as itself or as i18next plural forms (`key_one`, `key_other`). */
function hasKey(keys: Set<string>, key: string): boolean {
  return keys.has(key) || keys.has(`${key}_other`)
}

function checkKeys(flow: Flow, locales: Map<string, Set<string>>): Problem[] {
  const problems: Problem[] = []
  for (const [stepId, step] of stepsOf(flow)) {
    for (const key of new Set(kindOf(step).keys(step))) {
      for (const [lng, keys] of locales) {
        if (!hasKey(keys, key)) {
          problems.push({
            kind: 'missingKey',
            flowId: flow.id,
            stepId,
            message: `${key} missing in ${lng}`,
          })
        }
      }
    }
  }
  return problems
}

/** The text of a key in one locale's tree, or undefined. */
export function lookupKey(tree: LocaleTree | undefined, key: string): string | undefined {
  let node: LocaleTree | string | undefined = tree
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined
    node = node[part]
  }
  return typeof node === 'string' ? node : undefined
}

function interpolate(text: string, vars: Record<string, unknown> | undefined): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    const value = vars?.[name]
    return typeof value === 'string' || typeof value === 'number' ? String(value) : name
  })
}

function matchableIn(tree: LocaleTree | undefined, option: OptionOutput): MatchableOption {
  const synonyms = lookupKey(tree, `${option.key}_synonyms`)
  return {
    id: option.id,
    label: interpolate(lookupKey(tree, option.key) ?? option.key, option.vars),
    synonyms: synonyms ? synonyms.split(',') : [],
  }
}

/** Each option must be what its own label (and each synonym) means, in every language. */
function checkOptions(flow: Flow, resources: LocaleResources): Problem[] {
  const problems: Problem[] = []
  for (const [stepId, step] of stepsOf(flow)) {
    const options = kindOf(step).staticOptions?.(step) ?? []
    if (options.length > MAX_OPTIONS) {
      problems.push({
        kind: 'tooManyOptions',
        flowId: flow.id,
        stepId,
        message: `${options.length} options; at most ${MAX_OPTIONS} fit a numbered list`,
      })
    }
    for (const [lng, tree] of Object.entries(resources)) {
      const matchable = options.map((o) => matchableIn(tree, o))
      for (const option of matchable) {
        for (const said of [option.label, ...(option.synonyms ?? [])]) {
          const match = matchOption(said, matchable)
          if (!match.ok || match.optionId !== option.id) {
            problems.push({
              kind: 'ambiguousOptions',
              flowId: flow.id,
              stepId,
              message: `in ${lng}, "${said.trim()}" does not pick option ${option.id}${
                match.ok ? ` but ${match.optionId}` : ''
              }`,
            })
          }
        }
      }
    }
  }
  return problems
}
