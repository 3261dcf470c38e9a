import { VALIDATION_ERROR_KEYS } from './steps/input.ts'

/** Flows the engine starts by itself (keywords, consent, idle text); the checks require them. */
export const ENGINE_FLOWS = {
  onboarding: 'onboarding',
  menu: 'menu',
  /** The limited menu for someone who declined consent. */
  info: 'info',
  handoff: 'handoff',
  language: 'language',
  optout: 'optout',
  optin: 'optin',
  erase: 'erase',
  help: 'help',
} as const

/**
 * Flows the engine starts when they exist: `join` gets an invite code ("UNIRME ABC123") in its
 * var `inviteCode`.
 */
export const OPTIONAL_FLOWS = { join: 'join' } as const

/** The engine's own texts (locales/<lng>/engine.json); the checks require them in every locale. */
export const ENGINE_KEYS = {
  hintChoice: 'engine.hint_choice',
  stuck: 'engine.stuck',
  stuckMenu: 'engine.stuck_menu',
  stuckHuman: 'engine.stuck_human',
  welcomeBack: 'engine.welcome_back',
  resumeContinue: 'engine.resume_continue',
  resumeMenu: 'engine.resume_menu',
  flowChanged: 'engine.flow_changed',
  mediaReceived: 'engine.media_received',
  caseAppended: 'engine.case_appended',
  backUnavailable: 'engine.back_unavailable',
  unavailable: 'engine.unavailable',
} as const

export const ALL_ENGINE_KEYS: readonly string[] = [
  ...Object.values(ENGINE_KEYS),
  ...VALIDATION_ERROR_KEYS,
]
