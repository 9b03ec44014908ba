import type { TFunction } from 'i18next'

// The server explains a refused line in English (receipt-import-rules.ts, receipt-import.ts);
// the reasons met every day are shown translated, anything else as sent.
const EXACT: Record<string, string> = {
  'required': 'required',
  'no store with this code': 'noStore',
  'not a whole number': 'notWhole',
  'negative': 'negative',
  'not an amount in yuan (e.g. 12.50)': 'notYuan',
  'finer than a fen (at most 2 decimals)': 'finerThanFen',
  'too large': 'tooLarge',
  'not a date-time (YYYY-MM-DD HH:MM[:SS], or ISO-8601 with a zone)': 'notDateTime',
  'sale or return (销售/退货)': 'kind',
  'not a mainland China mobile number': 'phone',
}

const MEMBER_KEYS: Record<string, string> = { phone: 'phone', 'card number': 'card', 'external code': 'external' }

/** A line problem's reason in the user's language (the server's text when it is not a known one). */
export const translateReceiptReason = (t: TFunction<'imports', 'receipts'>, reason: string): string => {
  const key = EXACT[reason]
  if (key) return t(`reasons.${key as 'required'}`)
  const noMember = /^no member with this (phone|card number|external code)\b/.exec(reason)
  if (noMember) return t('reasons.noMember', { key: t(`options.memberKeys.${MEMBER_KEYS[noMember[1]!] as 'phone'}`) })
  const tooLong = /^longer than (\d+) characters$/.exec(reason)
  if (tooLong) return t('reasons.tooLong', { max: tooLong[1]! })
  return reason
}
