import type { LocaleResources } from '../app/i18n.ts'
import { inspectFlows, type CheckOptions, type Problem } from './check.ts'
import type { Flow } from './define-flow.ts'

/** Validated, checked flows by id: what `step` runs. */
export type FlowRegistry = ReadonlyMap<string, Flow>

/** The definitions have problems; `problems` lists every one of them. */
export class FlowCheckError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(
      `${problems.length} problem(s) in the flow definitions:\n` +
        problems.map((p) => `- ${formatProblem(p)}`).join('\n'),
    )
    this.name = 'FlowCheckError'
  }
}

export function formatProblem(problem: Problem): string {
  const where = problem.stepId ? `${problem.flowId}.${problem.stepId}` : problem.flowId
  return `[${problem.kind}] ${where}: ${problem.message}`
}

/** Validates and checks the definitions; throws a FlowCheckError listing every problem. */
export function loadFlows(
  definitions: readonly unknown[],
  resources: LocaleResources,
  options: CheckOptions = {},
): FlowRegistry {
  const { flows, problems } = inspectFlows(definitions, resources, options)
  if (problems.length > 0) throw new FlowCheckError(problems)
  return flows
}
