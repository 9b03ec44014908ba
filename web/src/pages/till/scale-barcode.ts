/**
 * In-store scale labels: the EAN-13 (or longer) codes a weighing scale prints, starting with
 * the digit that marks in-store codes (2), carrying the PLU and the weight or the price. The
 * chain's layout says where each is, one letter a digit: a digit stands for itself, P the PLU,
 * W the weight in grams, M the price in fen, X a digit ignored, C the check digit.
 */
export const DEFAULT_SCALE_LAYOUT = '2PPPPPPWWWWWC'

export type ScaleLabel = { plu: string; grams: number; price?: undefined } | { plu: string; price: number; grams?: undefined }

/** The GS1 check digit of the digits before it (EAN-8, EAN-13, ITF-14, … alike). */
export const checkDigit = (digits: string): number => {
  let sum = 0
  for (let i = digits.length - 1, weight = 3; i >= 0; i--, weight = weight === 3 ? 1 : 3) sum += Number(digits[i]) * weight
  return (10 - (sum % 10)) % 10
}

/**
 * A scanned code read as a scale label of `layout`, or null when it is not one (another length,
 * another leading digit, a wrong check digit). A label whose weight or price is 0 is null too.
 */
export const parseScaleLabel = (raw: string, layout: string = DEFAULT_SCALE_LAYOUT): ScaleLabel | null => {
  const code = raw.trim()
  if (!/^\d+$/.test(code) || code.length !== layout.length) return null
  let plu = ''
  let weight = ''
  let money = ''
  for (let i = 0; i < layout.length; i++) {
    const want = layout[i]!
    const digit = code[i]!
    if (/\d/.test(want)) {
      if (digit !== want) return null
    } else if (want === 'P') plu += digit
    else if (want === 'W') weight += digit
    else if (want === 'M') money += digit
    else if (want === 'C' && Number(digit) !== checkDigit(code.slice(0, i))) return null
  }
  if (!plu) return null
  if (weight) return Number(weight) > 0 ? { plu, grams: Number(weight) } : null
  return money && Number(money) > 0 ? { plu, price: Number(money) } : null
}

/** The SKUs a PLU may be, as scales are programmed: the PLU itself, then without its leading zeros. */
export const skusOfPlu = (plu: string): string[] => {
  const bare = plu.replace(/^0+(?=\d)/, '')
  return bare === plu ? [plu] : [plu, bare]
}

/**
 * The grams a price label stands for at a price per kg: the nearest whole gram (the scale priced
 * the goods at the same list price; the till prices the grams again, member prices included).
 */
export const gramsOfPrice = (priceFen: number, pricePerKgFen: number): number | null =>
  pricePerKgFen > 0 ? Math.max(1, Math.round((priceFen * 1000) / pricePerKgFen)) : null

/**
 * A weight as the cashier types it, in grams. Plain numbers are kilograms, as the scale shows
 * them (1.25 → 1250 g; at most three decimals); a `g` or `克` after the number means grams
 * (350g → 350), `kg`, `公斤` or `千克` kilograms, `斤` the Chinese jin (500 g). null for anything else
 * or for nothing.
 */
export const parseWeight = (raw: string): number | null => {
  const match = /^(\d{1,7})(?:\.(\d{1,3}))?\s*(kg|公斤|千克|g|克|斤)?$/i.exec(raw.trim())
  if (!match) return null
  const unit = (match[3] ?? 'kg').toLowerCase()
  const whole = Number(match[1])
  const part = match[2] ?? ''
  let grams: number
  if (unit === 'g' || unit === '克') {
    if (part) return null
    grams = whole
  } else if (unit === '斤') {
    grams = Math.round((whole + Number(`0.${part || '0'}`)) * 500)
  } else {
    grams = whole * 1000 + Number(part.padEnd(3, '0'))
  }
  return grams > 0 ? grams : null
}

/** Grams as the till shows them: kilograms to the gram (1.250 kg). */
export const kgText = (grams: number): string => `${(grams / 1000).toFixed(3)} kg`
