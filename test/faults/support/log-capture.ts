/** A pino destination that keeps every line, parsed, so a test can look for a log line. */
export class LogCapture {
  readonly lines: Record<string, unknown>[] = []
  readonly stream = {
    write: (line: string) => {
      try {
        this.lines.push(JSON.parse(line) as Record<string, unknown>)
      } catch {
        this.lines.push({ msg: line })
      }
    },
  }

  /** Lines whose message matches `pattern`. */
  matching(pattern: RegExp): Record<string, unknown>[] {
    return this.lines.filter((l) => pattern.test(String(l.msg ?? '')))
  }
}
