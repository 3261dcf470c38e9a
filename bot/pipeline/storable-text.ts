import type { InboundMessage } from '../messages.ts'

// A lone UTF-16 surrogate (from a JSON "\udfff" escape) cannot be serialised for the database
// driver, and PostgreSQL refuses NUL in text: both become U+FFFD, the replacement character.
// eslint-disable-next-line no-control-regex -- NUL is exactly what must be found
const UNSTORABLE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/g

/** The string with whatever no database can store replaced by U+FFFD. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD')
}

/** The message's strings made storable (what she wrote is otherwise kept as it came). */
export function storableMessage(message: InboundMessage): InboundMessage {
  const clean = (s: string | undefined) => (s === undefined ? undefined : storableText(s))
  return {
    ...message,
    channelUserId: storableText(message.channelUserId),
    platformMessageId: storableText(message.platformMessageId),
    ...(message.text !== undefined && { text: clean(message.text) }),
    ...(message.choice !== undefined && { choice: clean(message.choice) }),
    ...(message.displayName !== undefined && { displayName: clean(message.displayName) }),
    ...(message.phone !== undefined && { phone: clean(message.phone) }),
    ...(message.media && {
      media: {
        ...message.media,
        ref: storableText(message.media.ref),
        ...(message.media.mime !== undefined && { mime: clean(message.media.mime) }),
      },
    }),
  }
}
