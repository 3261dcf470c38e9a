import type { Response } from 'express'
import { stringify } from 'csv-stringify/sync'

/** Excel only reads a CSV file as UTF-8 (accents, ñ) when it starts with a byte-order mark. */
const BOM = '\uFEFF'

export type CsvTable = {
  /** Column headers, already translated for the staff member. */
  header: string[]
  rows: (string | number | boolean | Date | null | undefined)[][]
}

/** A whole CSV document: BOM, header row, rows; dates as ISO 8601, CRLF line ends as Excel expects. */
export function toCsv(table: CsvTable): string {
  const cells = table.rows.map((row) =>
    row.map((v) => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? '' : v)),
  )
  return BOM + stringify([table.header, ...cells], { record_delimiter: 'windows' })
}

/** Sends a CSV download; the file name must be ASCII (it goes into a header). */
export function sendCsv(res: Response, fileName: string, table: CsvTable): void {
  res
    .status(200)
    .type('text/csv; charset=utf-8')
    .set('Content-Disposition', `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`)
    .send(toCsv(table))
}
