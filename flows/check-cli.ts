import { readLocaleResources } from '../app/i18n.ts'
import { checkFlows } from './check.ts'
import { flowDefinitions } from './definitions/index.ts'
import { formatProblem } from './registry.ts'

/** `npm run flows:check`: every problem in the flow definitions and locales, or one OK line. */
const resources = readLocaleResources()
const problems = checkFlows(flowDefinitions, resources)
if (problems.length > 0) {
  for (const problem of problems) console.error(formatProblem(problem))
  console.error(`${problems.length} problem(s) in the flows`)
  process.exitCode = 1
} else {
  const steps = flowDefinitions.reduce((n, f) => n + Object.keys(f.steps).length, 0)
  console.log(
    `flows OK: ${flowDefinitions.length} flows, ${steps} steps, ${Object.keys(resources).length} locales`,
  )
}
