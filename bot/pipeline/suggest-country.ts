/** Bolivia (+591) or Panama (+507) from a phone number, to suggest her country; else null. */
export function suggestCountry(phone: string | null): 'BO' | 'PA' | null {
  const digits = phone?.replace(/[^\d]/g, '') ?? ''
  if (digits.startsWith('591')) return 'BO'
  if (digits.startsWith('507')) return 'PA'
  return null
}
