import { describe, expect, it } from 'vitest'
import { matchKeyword } from './keywords.ts'

describe('matchKeyword', () => {
  it.each([
    ['MENU', 'menu'],
    ['Menú', 'menu'],
    ['menu principal', 'menu'],
    ['INICIO', 'menu'],
    ['0', 'menu'],
    ['0️⃣', 'menu'],
    ['ayuda', 'help'],
    ['HELP!', 'help'],
    ['Atrás', 'back'],
    ['atras', 'back'],
    ['volver', 'back'],
    ['back', 'back'],
    ['humano', 'human'],
    ['Asesora', 'human'],
    ['persona', 'human'],
    ['agent', 'human'],
    ['idioma', 'language'],
    ['Language', 'language'],
    ['BAJA', 'optout'],
    ['stop', 'optout'],
    ['Borrar mis datos', 'erase'],
    ['BORRAR MIS DATOS.', 'erase'],
    ['delete my data', 'erase'],
  ])('%j is %s', (text, keyword) => {
    expect(matchKeyword(text)).toBe(keyword)
  })

  it.each([
    'Cholas',
    'hola',
    'menudo',
    'necesito ayuda con los estatutos',
    'quiero hablar con una persona',
    'stop it please',
    '10',
    '',
    `menu${' '.repeat(200)}x`,
    'x'.repeat(65536),
  ])('%j is no keyword', (text) => {
    expect(matchKeyword(text)).toBeNull()
  })
})
