import type { TFunction } from 'i18next'

// The server explains a refused row in English (product-rules.ts, product-import.ts); the
// usual reasons are shown in the user's language, anything else as sent.
const KNOWN: Record<string, string> = {
  'is required': 'required',
  'is required for a new product': 'requiredForNew',
  'must be 8 to 14 digits': 'barcode',
  'not a price in yuan with at most 2 decimals (e.g. 12.50)': 'yuan',
  'must be 1/0, true/false, 是/否 or Y/N': 'flag',
  'must not exceed the list price': 'memberAboveList',
  'must not start or end with whitespace': 'skuSpaces',
  'contains control characters': 'controlChars',
}

export const productReason = (t: TFunction<'products'>, reason: string): string => {
  const key = KNOWN[reason]
  if (key) return t(`reasons.${key}` as never)
  const max = /^longer than (\d+) characters$/.exec(reason)?.[1]
  return max ? t('reasons.tooLong', { max }) : reason
}
