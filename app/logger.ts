import pino, { type Logger } from 'pino'

export type { Logger }

/**
 * Paths that may hold personal data (message bodies, phone numbers, names). They are removed
 * from every log line: code that needs them for debugging logs them explicitly at debug level
 * under `debugText`, which is also removed unless LOG_LEVEL is debug or trace.
 */
const PERSONAL_PATHS = [
  'text',
  'body',
  'phone',
  'displayName',
  'password',
  'message.text',
  'inbound.text',
  'contact.phone',
  'contact.displayName',
  '*.text',
  '*.phone',
  '*.password',
]

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const debugging = level === 'debug' || level === 'trace'
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: debugging ? PERSONAL_PATHS : [...PERSONAL_PATHS, 'debugText'],
        remove: true,
      },
    },
    destination,
  )
}
