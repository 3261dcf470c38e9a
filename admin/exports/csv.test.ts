import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { toCsv } from './csv.ts'

describe('toCsv', () => {
  it('starts with a BOM and round-trips accents, commas, quotes and new lines', () => {
    const rows = [
      ['Cooperativa "Mujeres de Añil", Potosí', 3, null],
      ['línea 1\nlínea 2', 0, new Date('2026-11-25T10:00:00Z')],
    ]
    const text = toCsv({ header: ['Nombre', 'Miembros', 'Fecha'], rows })
    expect(text.startsWith('\uFEFF')).toBe(true)
    const parsed = parse(text, { bom: true }) as string[][]
    expect(parsed).toEqual([
      ['Nombre', 'Miembros', 'Fecha'],
      ['Cooperativa "Mujeres de Añil", Potosí', '3', ''],
      ['línea 1\nlínea 2', '0', '2026-11-25T10:00:00.000Z'],
    ])
  })
})
