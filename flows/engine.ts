import type { EngineContext } from './context.ts'
import type { Effect } from './effects.ts'
import { ENGINE_FLOWS, ENGINE_KEYS, OPTIONAL_FLOWS } from './engine-needs.ts'
import { inviteCodeIn } from './invite-code.ts'
import { EngineInputSchema, type EngineInput } from './engine-input.ts'
import { matchKeyword, type Keyword } from './keywords.ts'
import { matchOption } from './match-option.ts'
import { hasWords, normalizeText } from './normalize-text.ts'
import type { OptionOutput, Output } from './outputs.ts'
import { readPath, resolveRefs, type PathRoots } from './refs.ts'
import type { FlowRegistry } from './registry.ts'
import { HISTORY_LIMIT, STACK_LIMIT, emptySession, type Frame, type Session } from './session.ts'
import { kindOf, type Step } from './steps/index.ts'
import { END, type LoaderRequest, type StepEnv, type Transition } from './steps/step-kind.ts'

// The runtime's one import: everything it needs to call the engine and store its results.
export type { LoaderRequest } from './steps/step-kind.ts'
export type { ContactFacts, EngineContext } from './context.ts'
export type { Effect } from './effects.ts'
export type { EngineInput } from './engine-input.ts'
export type { Output } from './outputs.ts'
export type { FlowRegistry } from './registry.ts'
export type { Frame, Position, Session } from './session.ts'
export { currentPosition, parseSession } from './session.ts'
export { EngineInputSchema } from './engine-input.ts'
export { EffectSchema } from './effects.ts'
export { OutputSchema } from './outputs.ts'

/**
 * `needData`: run these loaders, put each result in `ctx.data[name]`, call `step` again with
 * the same input (nothing changed). `done`: store `session` (null: erase it), apply `effects`
 * and send `outputs`, all in one transaction.
 */
export type StepResult =
  | { kind: 'needData'; loaders: LoaderRequest[] }
  | { kind: 'done'; session: Session | null; outputs: Output[]; effects: Effect[] }

/** Misunderstood answers in a row before she is offered the menu or a person. */
export const STUCK_AFTER_MISSES = 3
/** Steps one message may run through; only a definition bug could need more. */
const MAX_TRANSITIONS = 200

const RESUME_OPTIONS: OptionOutput[] = [
  { id: 'continue', key: ENGINE_KEYS.resumeContinue },
  { id: 'menu', key: ENGINE_KEYS.resumeMenu },
]
const STUCK_OPTIONS: OptionOutput[] = [
  { id: 'menu', key: ENGINE_KEYS.stuckMenu },
  { id: 'human', key: ENGINE_KEYS.stuckHuman },
]

/** Flows open to someone who has not said yes to the data notice yet. */
const BEFORE_CONSENT = new Set<string>([
  ENGINE_FLOWS.onboarding,
  ENGINE_FLOWS.optout,
  ENGINE_FLOWS.erase,
  ENGINE_FLOWS.language,
  ENGINE_FLOWS.help,
])
/** Flows open to someone who said no: general information, and a way to say yes. */
const AFTER_DECLINE = new Set<string>([...BEFORE_CONSENT, ENGINE_FLOWS.info])

type Run = {
  readonly registry: FlowRegistry
  readonly ctx: EngineContext
  readonly session: Session
  readonly outputs: Output[]
  readonly effects: Effect[]
  transitions: number
  noticeGiven: boolean
}

/** Where to continue after a transition: stop (waiting, or out of flows) or run the top step. */
type Next = { stop: true } | { stop: false; reask: boolean }

/**
 * One message from her in, what to say and do out. Pure: no I/O, no clock but `ctx.now`, no
 * randomness but `ctx.newId`, and never throws on anything she can send.
 */
export function step(
  registry: FlowRegistry,
  session: Session | null,
  input: EngineInput,
  ctx: EngineContext,
): StepResult {
  const parsed = EngineInputSchema.safeParse(input)
  const message: EngineInput = parsed.success ? parsed.data : { kind: 'text', text: '' }
  const run: Run = {
    registry,
    ctx,
    session: session ? copySession(session) : emptySession(ctx.now),
    outputs: [],
    effects: [],
    transitions: 0,
    noticeGiven: false,
  }
  const need = converse(run, message) ?? ensureReply(run)
  if (need) return { kind: 'needData', loaders: [need] }
  const erased = run.effects.some((e) => e.kind === 'erase')
  run.session.lastActivityAt = ctx.now.toISOString()
  return {
    kind: 'done',
    session: erased ? null : run.session,
    outputs: run.outputs,
    effects: run.effects,
  }
}

/**
 * A copy the run may change: steps only set and delete top-level vars, so frames and vars are
 * copied one level deep (cheaper than structuredClone on the hot path).
 */
function copySession(session: Session): Session {
  return {
    ...session,
    stack: session.stack.map((frame) => ({ ...frame, vars: { ...frame.vars } })),
    history: session.history.map((position) => ({ ...position })),
  }
}

function converse(run: Run, input: EngineInput): LoaderRequest | undefined {
  const { session } = run
  const text = input.kind === 'text' ? input.text : (input.text ?? '')
  const optionId = input.kind === 'choice' ? input.optionId : undefined

  const keyword = input.kind === 'choice' ? null : keywordIn(run, text)
  if (keyword) return obeyKeyword(run, keyword)
  const code = input.kind === 'text' ? joinCodeIn(run, text) : null
  if (code) return startJoin(run, code)

  const bottom = session.stack[0]
  if (
    consentOf(run) !== 'given' &&
    (!bottom || permittedFlow(run, bottom.flowId) !== bottom.flowId)
  ) {
    return startFlow(run, homeFlow(run))
  }
  if (!bottom) return answerBetweenFlows(run, input, text)
  if (isIdle(run)) return offerResume(run)

  if (session.resumeOffered) {
    delete session.resumeOffered
    const chosen = pickOffer(run, RESUME_OPTIONS, text, optionId)
    if (chosen === 'continue') return advance(run, true)
    if (chosen === 'menu') return startFlow(run, ENGINE_FLOWS.menu)
  }
  if (session.stuckOffered) {
    delete session.stuckOffered
    const chosen = pickOffer(run, STUCK_OPTIONS, text, optionId)
    if (chosen === 'menu') return startFlow(run, ENGINE_FLOWS.menu)
    if (chosen === 'human') return startFlow(run, ENGINE_FLOWS.handoff)
  }
  return answerCurrent(run, input, text, optionId)
}

// ——— consent ———

/** Consent as it stands, counting what this very message gave or declined. */
function consentOf(run: Run): 'none' | 'given' | 'declined' {
  for (const effect of run.effects.toReversed()) {
    if (effect.kind === 'giveConsent') return 'given'
    if (effect.kind === 'declineConsent') return 'declined'
  }
  return run.ctx.contact.consent
}

/** Where "the menu" is for her: the notice before consent, the limited menu after a no. */
function homeFlow(run: Run): string {
  const consent = consentOf(run)
  if (consent === 'none') return ENGINE_FLOWS.onboarding
  return consent === 'declined' ? ENGINE_FLOWS.info : ENGINE_FLOWS.menu
}

/** The flow she may enter instead of `flowId`: itself, or home when consent does not allow it. */
function permittedFlow(run: Run, flowId: string): string {
  const consent = consentOf(run)
  if (consent === 'given') return flowId
  const open = consent === 'none' ? BEFORE_CONSENT : AFTER_DECLINE
  return open.has(flowId) ? flowId : homeFlow(run)
}

// ——— keywords ———

function keywordIn(run: Run, text: string): Keyword | null {
  const keyword = matchKeyword(text)
  if (keyword === 'menu' && normalizeText(text) === '0') {
    const current = currentStep(run)
    if (current && kindOf(current).acceptsZero?.(current)) return null
  }
  return keyword
}

function obeyKeyword(run: Run, keyword: Keyword): LoaderRequest | undefined {
  clearOffers(run.session)
  switch (keyword) {
    case 'menu':
      return startFlow(run, ENGINE_FLOWS.menu)
    case 'human':
      return startFlow(run, ENGINE_FLOWS.handoff)
    case 'optout':
      return startFlow(run, ENGINE_FLOWS.optout)
    case 'help':
      return callOver(run, ENGINE_FLOWS.help)
    case 'language':
      return callOver(run, ENGINE_FLOWS.language)
    case 'erase':
      return callOver(run, ENGINE_FLOWS.erase)
    case 'back':
      return goBack(run)
  }
}

/** Runs a flow on top of the current question, which is asked again when it ends. */
function callOver(run: Run, flowId: string): LoaderRequest | undefined {
  const { stack } = run.session
  const caller = stack.at(-1)
  if (caller) {
    caller.returnTo = caller.stepId
  } else {
    // Between flows: afterwards she lands on her home menu.
    const home = run.registry.get(homeFlow(run))
    if (home)
      stack.push({ ...newFrame(home.id, home.specVersion, home.start), returnTo: home.start })
  }
  pushFlow(run, flowId)
  return advance(run, false)
}

/** ATRÁS: the question before the current one, from the history. */
function goBack(run: Run): LoaderRequest | undefined {
  const { session, registry } = run
  const here = session.stack.at(-1)
  const history = session.history
  while (here && history.at(-1)?.flowId === here.flowId && history.at(-1)?.stepId === here.stepId) {
    history.pop()
  }
  for (let target = history.pop(); target; target = history.pop()) {
    const flow = registry.get(target.flowId)
    const step = flow?.steps[target.stepId]
    if (!flow || !step || !kindOf(step).receive) continue
    if (permittedFlow(run, flow.id) !== flow.id) continue
    const at = session.stack.findLastIndex(
      (f) => f.flowId === flow.id && f.specVersion === flow.specVersion,
    )
    if (at >= 0) {
      session.stack.length = at + 1
      const frame = session.stack[at]!
      frame.stepId = target.stepId
      delete frame.returnTo
    } else {
      session.stack.splice(
        0,
        session.stack.length,
        newFrame(flow.id, flow.specVersion, target.stepId),
      )
    }
    session.misses = 0
    return advance(run, false)
  }
  say(run, { kind: 'text', key: ENGINE_KEYS.backUnavailable })
  return session.stack.length > 0 ? advance(run, true) : startFlow(run, homeFlow(run))
}

// ——— invite codes ———

/**
 * An invite code to another member's group, when the join flow exists. A code alone counts
 * only where her own words are not the expected answer.
 */
function joinCodeIn(run: Run, text: string): string | null {
  if (!run.registry.has(OPTIONAL_FLOWS.join)) return null
  const current = currentStep(run)
  const typing = current?.kind === 'input' || current?.kind === 'upload'
  return inviteCodeIn(text, !typing)
}

function startJoin(run: Run, code: string): LoaderRequest | undefined {
  const { session } = run
  session.stack.length = 0
  session.misses = 0
  clearOffers(session)
  pushFlow(run, OPTIONAL_FLOWS.join)
  // before consent the onboarding stands in for it: the code then simply goes unused
  const top = session.stack.at(-1)
  if (top?.flowId === OPTIONAL_FLOWS.join) top.vars.inviteCode = code
  return advance(run, false)
}

// ——— between flows, idle, offers ———

/** Free text outside any flow: her open case gets it, else the FAQ hook, else the menu. */
function answerBetweenFlows(run: Run, input: EngineInput, text: string): LoaderRequest | undefined {
  const { ctx } = run
  if (input.kind === 'media' && !hasWords(text)) return mediaWithoutText(run, input.ref)
  if (openCaseId(ctx) !== undefined && hasWords(text)) {
    run.effects.push({ kind: 'appendToCase', text })
    say(run, { kind: 'text', key: ENGINE_KEYS.caseAppended })
    return undefined
  }
  if (ctx.contact.optedOut) return startFlow(run, ENGINE_FLOWS.optin)
  if (ctx.config.faqSearch && hasWords(text)) {
    const found = ctx.data.faqSearch
    if (found === undefined) return faqRequest(text)
    if (replyFromFaq(run, found, text) === 'answered') return undefined
  }
  return startFlow(run, homeFlow(run))
}

function faqRequest(text: string): LoaderRequest {
  return { name: 'faqSearch', args: { text: text.slice(0, 500) } }
}

/**
 * Says what the `faqSearch` loader found. A result marked `unanswered: true` is a question the
 * FAQ could not answer: it is recorded for staff (its `key`, if any, is said first) and she is
 * shown her menu. Null, or anything else, is no answer.
 */
function replyFromFaq(run: Run, found: unknown, text: string): 'answered' | 'unanswered' | 'none' {
  const answer = faqAnswer(found)
  const unanswered = (found as { unanswered?: unknown } | null)?.unanswered === true
  if (unanswered) run.effects.push({ kind: 'recordUnanswered', text: text.slice(0, 1000) })
  if (answer) say(run, { kind: 'text', ...answer })
  if (unanswered) return 'unanswered'
  return answer ? 'answered' : 'none'
}

/** Words that make an answer to a numbered question look like a question of her own. */
const QUESTION_MIN_WORDS = 3

/**
 * Free text a question did not understand may be a question for the FAQ (issue 5: "any free
 * text that is not an expected answer is searched"): at the main menu any words, at another
 * numbered question three words or more (so a typo of an option is not taken for a question).
 * An answer is given; an unanswered question is recorded; with no result the question's own
 * "did not understand" stands.
 */
function faqForMiss(
  run: Run,
  frame: Frame,
  step: Step,
  input: EngineInput,
  text: string,
): LoaderRequest | 'answered' | 'unanswered' | 'none' {
  const { ctx, session } = run
  const atMenu = frame.flowId === ENGINE_FLOWS.menu && session.stack.length === 1
  const asksQuestion =
    step.kind === 'choice' && text.trim().split(/\s+/).length >= QUESTION_MIN_WORDS
  if (!ctx.config.faqSearch || !(atMenu || asksQuestion)) return 'none'
  if (input.kind !== 'text' || !hasWords(text)) return 'none'
  const found = ctx.data.faqSearch
  if (found === undefined) return faqRequest(text)
  return replyFromFaq(run, found, text)
}

function faqAnswer(found: unknown): { key: string; vars?: Record<string, unknown> } | undefined {
  if (found === null || typeof found !== 'object') return undefined
  const { key, vars } = found as { key?: unknown; vars?: unknown }
  if (typeof key !== 'string' || key === '') return undefined
  const hasVars = vars !== null && typeof vars === 'object'
  return { key, ...(hasVars && { vars: vars as Record<string, unknown> }) }
}

function openCaseId(ctx: EngineContext): string | number | undefined {
  const id = ctx.contact.fields.openCaseId
  return typeof id === 'string' || typeof id === 'number' ? id : undefined
}

/** A photo, audio or sticker where words were expected. */
function mediaWithoutText(run: Run, ref: string): LoaderRequest | undefined {
  say(run, { kind: 'text', key: ENGINE_KEYS.mediaReceived })
  if (openCaseId(run.ctx) !== undefined) {
    run.effects.push({ kind: 'appendToCase', mediaRef: ref })
    return undefined
  }
  return run.session.stack.length > 0 ? advance(run, true) : startFlow(run, homeFlow(run))
}

function isIdle(run: Run): boolean {
  const last = Date.parse(run.session.lastActivityAt)
  return Number.isFinite(last) && run.ctx.now.getTime() - last > run.ctx.config.sessionIdleMs
}

function offerResume(run: Run): undefined {
  clearOffers(run.session)
  run.session.resumeOffered = true
  say(run, { kind: 'choice', key: ENGINE_KEYS.welcomeBack, options: RESUME_OPTIONS })
  return undefined
}

function pickOffer(
  run: Run,
  options: OptionOutput[],
  text: string,
  optionId: string | undefined,
): string | undefined {
  if (optionId !== undefined && options.some((o) => o.id === optionId)) return optionId
  const match = matchOption(
    text,
    options.map((o) => ({ id: o.id, label: run.ctx.t(o.key) })),
  )
  return match.ok ? match.optionId : undefined
}

function clearOffers(session: Session) {
  delete session.resumeOffered
  delete session.stuckOffered
}

// ——— answering the current question ———

function answerCurrent(
  run: Run,
  input: EngineInput,
  text: string,
  optionId: string | undefined,
): LoaderRequest | undefined {
  const { session } = run
  const frame = session.stack.at(-1)!
  const step = currentStep(run)
  if (!step || isStale(run, frame)) return advance(run, false)
  const kind = kindOf(step)
  if (!kind.receive) return advance(run, true)
  const takesMedia = kind.acceptsMedia?.(step) ?? false
  if (input.kind === 'media' && !hasWords(text) && !takesMedia) {
    return mediaWithoutText(run, input.ref)
  }

  // a question that shows loaded data (her group's name…) needs it again to ask again
  const own = loaderOf(step, envFor(run, frame, false, []))
  if (own && run.ctx.data[own.name] === undefined) return own

  const said: Output[] = []
  const media =
    input.kind === 'media' && takesMedia ? { kind: input.mediaKind, ref: input.ref } : undefined
  const result = kind.receive(
    step,
    { text, ...(optionId !== undefined && { optionId }), ...(media && { media }) },
    envFor(run, frame, false, said),
  )
  if (result.kind === 'retry') {
    const faq = faqForMiss(run, frame, step, input, text)
    if (typeof faq === 'object') return faq
    const atMenu = frame.flowId === ENGINE_FLOWS.menu && session.stack.length === 1
    // at the menu the answer stands alone; elsewhere the question she was on is asked again
    if (faq === 'answered') return atMenu ? undefined : advance(run, true)
    if (faq === 'unanswered') return advance(run, true)
    session.misses += 1
    if (session.misses >= STUCK_AFTER_MISSES) {
      session.misses = 0
      session.stuckOffered = true
      say(run, { kind: 'choice', key: ENGINE_KEYS.stuck, options: STUCK_OPTIONS })
    } else {
      run.outputs.push(...said)
    }
    return undefined
  }
  session.misses = 0
  run.outputs.push(...said)
  const next = follow(run, result)
  return next.stop ? undefined : advance(run, next.reask)
}

// ——— running steps ———

function startFlow(run: Run, flowId: string): LoaderRequest | undefined {
  const { session } = run
  session.stack.length = 0
  session.misses = 0
  clearOffers(session)
  pushFlow(run, flowId)
  return advance(run, false)
}

function newFrame(flowId: string, specVersion: number, stepId: string): Frame {
  return { flowId, stepId, specVersion, vars: {} }
}

/** Puts a flow on the stack (or its permitted stand-in); the oldest frames give way. */
function pushFlow(run: Run, flowId: string, at?: string) {
  const id = permittedFlow(run, flowId)
  const flow = run.registry.get(id)
  if (!flow) {
    say(run, { kind: 'text', key: ENGINE_KEYS.unavailable })
    return
  }
  const start = id === flowId && at !== undefined && at in flow.steps ? at : flow.start
  const { stack } = run.session
  stack.push(newFrame(flow.id, flow.specVersion, start))
  if (stack.length > STACK_LIMIT) stack.splice(0, stack.length - STACK_LIMIT)
}

function currentStep(run: Run): Step | undefined {
  const frame = run.session.stack.at(-1)
  return frame && run.registry.get(frame.flowId)?.steps[frame.stepId]
}

function isStale(run: Run, frame: Frame): boolean {
  const flow = run.registry.get(frame.flowId)
  return !flow || flow.specVersion !== frame.specVersion || !(frame.stepId in flow.steps)
}

/**
 * Runs steps from the top frame's current one until one waits for her or no flow is left.
 * Returns the loader a step needs first, if its data is not in `ctx.data` yet.
 */
function advance(run: Run, reaskFirst: boolean): LoaderRequest | undefined {
  let reask = reaskFirst
  for (;;) {
    const { stack } = run.session
    const frame = stack.at(-1)
    if (!frame) return undefined
    if (++run.transitions > MAX_TRANSITIONS) {
      say(run, { kind: 'text', key: ENGINE_KEYS.unavailable })
      stack.length = 0
      return undefined
    }
    if (isStale(run, frame)) {
      const next = restartStale(run)
      if (next.stop) return undefined
      reask = next.reask
      continue
    }
    const step = run.registry.get(frame.flowId)!.steps[frame.stepId]!
    const kind = kindOf(step)
    const env = envFor(run, frame, reask, run.outputs)
    const need = kind.loader ? kind.loader(step, env) : loaderOf(step, env)
    if (need && run.ctx.data[need.name] === undefined) return need
    const next = follow(run, kind.enter(step, env))
    if (next.stop) return undefined
    reask = next.reask
  }
}

/**
 * A stored frame whose flow changed (new specVersion, step gone) restarts that flow with a
 * short notice; a flow that is gone altogether ends as if it had finished.
 */
function restartStale(run: Run): Next {
  const { stack } = run.session
  const frame = stack.pop()!
  if (!run.noticeGiven) {
    run.noticeGiven = true
    say(run, { kind: 'text', key: ENGINE_KEYS.flowChanged })
  }
  const flow = run.registry.get(frame.flowId)
  if (flow) {
    stack.push(newFrame(flow.id, flow.specVersion, flow.start))
    return { stop: false, reask: false }
  }
  if (stack.length === 0) pushFlow(run, homeFlow(run))
  return returnToCaller(run)
}

function loaderOf(step: Step, env: StepEnv): LoaderRequest | undefined {
  if (!('load' in step) || step.load === undefined) return undefined
  const args = step.loadArgs && (env.resolve(step.loadArgs) as Record<string, unknown>)
  return { name: step.load, ...(args && { args }) }
}

function follow(run: Run, transition: Transition): Next {
  const { stack } = run.session
  const frame = stack.at(-1)!
  const flow = run.registry.get(frame.flowId)!
  switch (transition.kind) {
    case 'go':
      if (transition.next === END && !(END in flow.steps)) return finishFlow(run)
      frame.stepId = transition.next
      return { stop: false, reask: false }
    case 'wait':
      remember(run.session, frame)
      return { stop: true }
    case 'call': {
      const after = flow.steps[transition.next]
      const tail = after === undefined ? transition.next === END : after.kind === 'end'
      // A call whose caller would only end afterwards replaces it: menus that lead to menus
      // must not pile up frames.
      if (tail) stack.pop()
      else frame.returnTo = transition.next
      pushFlow(run, transition.flowId, transition.at)
      return { stop: false, reask: false }
    }
    case 'end':
      return finishFlow(run)
  }
}

function finishFlow(run: Run): Next {
  if (run.effects.some((e) => e.kind === 'erase')) {
    // Nothing of hers is kept, so nothing is asked again: the goodbye is the last word.
    run.session.stack.length = 0
    return { stop: true }
  }
  run.session.stack.pop()
  return returnToCaller(run)
}

/** Continues the caller at its `returnTo` (asking again when that is the question it was on). */
function returnToCaller(run: Run): Next {
  for (;;) {
    const caller = run.session.stack.at(-1)
    if (!caller) return { stop: true }
    const next = caller.returnTo
    delete caller.returnTo
    if (next === undefined) return { stop: false, reask: true }
    const flow = run.registry.get(caller.flowId)
    if (next === END && flow && !(END in flow.steps)) {
      run.session.stack.pop()
      continue
    }
    const reask = next === caller.stepId
    caller.stepId = next
    return { stop: false, reask }
  }
}

function remember(session: Session, frame: Frame) {
  const last = session.history.at(-1)
  if (last?.flowId === frame.flowId && last.stepId === frame.stepId) return
  session.history.push({ flowId: frame.flowId, stepId: frame.stepId })
  if (session.history.length > HISTORY_LIMIT) session.history.shift()
}

function envFor(run: Run, frame: Frame, reask: boolean, sink: Output[]): StepEnv {
  const roots: PathRoots = { var: frame.vars, contact: contactNow(run), data: run.ctx.data }
  return {
    ctx: run.ctx,
    flowId: frame.flowId,
    stepId: frame.stepId,
    vars: frame.vars,
    reask,
    say: (output) => sink.push(output),
    emit: (effect) => run.effects.push(effect),
    resolve: (value) => resolveRefs(value, roots),
    read: (path) => readPath(roots, path),
  }
}

/**
 * Her facts as steps read them (`$contact`, `contact.` paths): counting the language or country
 * this very message set, so a flow that asked for her country can load data for it at once.
 */
function contactNow(run: Run): Record<string, unknown> {
  const contact = run.ctx.contact as unknown as Record<string, unknown>
  let changed: Record<string, unknown> | undefined
  for (const e of run.effects) {
    if (e.kind !== 'setContactField' || (e.field !== 'locale' && e.field !== 'country')) continue
    changed ??= { ...contact }
    changed[e.field] = e.value
  }
  return changed ?? contact
}

function say(run: Run, output: Output) {
  run.outputs.push(output)
}

/** Every message gets an answer: a flow that ended in silence hands over to her menu. */
function ensureReply(run: Run): LoaderRequest | undefined {
  if (run.outputs.length > 0 || run.effects.some((e) => e.kind === 'erase')) return undefined
  return run.session.stack.length > 0 ? advance(run, true) : startFlow(run, homeFlow(run))
}
