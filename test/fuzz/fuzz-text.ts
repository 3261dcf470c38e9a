import fc from 'fast-check'

/** How many cases each property runs: FUZZ_RUNS, else `fallback` (small in npm test). */
export function fuzzRuns(fallback: number): number {
  const n = Number(process.env.FUZZ_RUNS)
  return Number.isInteger(n) && n > 0 ? n : fallback
}

/** The run's parameters: FUZZ_RUNS cases (else `runs`), seeded by FUZZ_SEED (else `seed`). */
export function fuzzParams(runs: number, seed?: number): { numRuns: number; seed?: number } {
  const envSeed = Number(process.env.FUZZ_SEED)
  const chosen = Number.isInteger(envSeed) && process.env.FUZZ_SEED ? envSeed : seed
  return { numRuns: fuzzRuns(runs), ...(chosen !== undefined && { seed: chosen }) }
}

/** npm test replays one fixed sample (reproducible); the fault suite draws a new one each run. */
export const NPM_TEST_SEED = 20_261_125

const RTL = ['مرحبا', 'שלום', 'سلام عليكم', '\u202Eabc\u202C', '\u200F1\u200F', 'ا١٢٣']
const EMOJI = ['🙂', '👩🏽‍🌾', '🇧🇴', '🇵🇦', '1️⃣', '2️⃣', '👍🏿', '🏳️‍🌈', '❤️‍🔥', '\u{1F469}\u200D']
const CONTROL = ['\u0000', '\u0007', '\b', '\t', '\n', '\r\n', '\u001b[31m', '\u007f', '\u0085']
const ODD = ['\u00ad', '\u200b', '\u2028', '\u2029', '\ufeff', '\ud800', '\udfff', 'e\u0301', 'ﬁ']
const WORDS = [
  'hola', 'menu', 'MENÚ', 'sí', 'no', 'acepto', 'humano', 'baja', 'STOP', 'idioma', 'ayuda',
  'borrar mis datos', 'atrás', 'Cholas', 'La Paz', 'Panamá', 'cooperativa', '/start', '/start x',
] // prettier-ignore

/** Numbers in every form she might write them: digits, words, signs, other scripts, sizes. */
export const numberText = fc.oneof(
  fc.integer().map(String),
  fc.bigInt().map(String),
  fc.double().map(String),
  fc.constantFrom(
    '0', '00', '007', '1.', '.5', '1,5', '1.000.000', '1 000', '+1', '-0', '½', '²', '①', 'Ⅳ',
    '١', '٢٣', '१२', '一', '１２', 'uno', 'dos', 'tres', 'diez', 'cien', 'mil', 'one', 'twenty',
    'primero', 'segunda', 'la 2', 'opción 3', '#1', '1)', '(2)', '3.', '1e3', '0x1F', 'NaN',
    'Infinity', '9'.repeat(400),
  ), // prettier-ignore
)

/** Anything she might send as text: the worst of Unicode, up to 64 KB. */
export const fuzzText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 2, arbitrary: numberText },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.constantFrom(...RTL, ...EMOJI, ...CONTROL, ...ODD, ...WORDS, ' '), {
        minLength: 1,
        maxLength: 12,
      })
      .map((parts) => parts.join('')),
  },
  { weight: 2, arbitrary: fc.constantFrom(...WORDS, '1', '2', '3', '0', '', ' ', '\n') },
  {
    weight: 1,
    // 64 KB messages (and a little over), of one repeated grapheme or a pattern
    arbitrary: fc
      .tuple(fc.constantFrom('a', 'ñ', '🙂', 'a🙂', 'مرحبا ', '1', '\u0000', ' '), fc.nat(2048))
      .map(([unit, extra]) => unit.repeat(Math.ceil((65_536 + extra) / unit.length))),
  },
)
