import { z } from 'zod'

export const FrameSchema = z.object({
  flowId: z.string().min(1),
  stepId: z.string().min(1),
  specVersion: z.number().int(),
  vars: z.record(z.string(), z.unknown()),
  /** Set on a caller while a called flow runs: the step to continue at when it ends. */
  returnTo: z.string().optional(),
})
export type Frame = z.infer<typeof FrameSchema>

export const PositionSchema = z.object({ flowId: z.string(), stepId: z.string() })
export type Position = z.infer<typeof PositionSchema>

/** Conversation state, JSON-serialisable; the runtime stores it as text. */
export const SessionSchema = z.object({
  v: z.literal(1),
  /** Bottom is the flow she started in; top is where she is now. Empty: between flows. */
  stack: z.array(FrameSchema),
  /** Answers in a row the current question could not understand. */
  misses: z.number().int().min(0),
  lastActivityAt: z.iso.datetime({ offset: true }),
  /** Questions asked, oldest first, bounded: what ATRÁS walks back through. */
  history: z.array(PositionSchema),
  /** A "welcome back: continue or menu?" question is pending. */
  resumeOffered: z.boolean().optional(),
  /** A "menu or a person?" question is pending after repeated misunderstandings. */
  stuckOffered: z.boolean().optional(),
})
export type Session = z.infer<typeof SessionSchema>

export const HISTORY_LIMIT = 20
export const STACK_LIMIT = 8

/** The stored session text back as a Session, or null for anything that is not one. */
export function parseSession(json: string | null | undefined): Session | null {
  if (!json) return null
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    return null
  }
  const parsed = SessionSchema.safeParse(value)
  return parsed.success ? parsed.data : null
}

/** Where she is (the question waiting for her answer), or null between flows. */
export function currentPosition(session: Session | null): Position | null {
  const top = session?.stack.at(-1)
  return top ? { flowId: top.flowId, stepId: top.stepId } : null
}

export function emptySession(now: Date): Session {
  return { v: 1, stack: [], misses: 0, lastActivityAt: now.toISOString(), history: [] }
}
