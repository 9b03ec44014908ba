import type { TFunction } from 'i18next'

// The server explains a refused row in English (member-import.ts, member-rules.ts); the
// reasons a user meets every day are shown translated, anything else as sent.
const EXACT: Record<string, string> = {
  'not a mainland China mobile number (11 digits starting 13–19, +86 allowed)': 'phone',
  'not a mainland China mobile number': 'phone',
  'contains control characters': 'controlChars',
  'not a date (YYYY-MM-DD)': 'notDate',
  'not a date or date-time (YYYY-MM-DD[ HH:MM:SS])': 'notDateTime',
  'is in the future': 'future',
  'is before 1900': 'before1900',
  'not a valid 18-character resident ID number (check digit or birth date wrong)': 'idNumber',
  'not a valid resident ID number': 'idNumber',
  'not an email address': 'email',
  'belongs to another member': 'taken',
  'no store with this code': 'noStore',
  'must be male/female (男/女, M/F) or unknown': 'gender',
  'must be yes/no (1/0, true/false, 是/否)': 'yesNo',
  'a row needs a phone or an external member code': 'needKey',
}

/** A row error's reason in the user's language (the server's text when it is not a known one). */
export const translateReason = (t: TFunction<'imports', 'members'>, reason: string): string => {
  const key = EXACT[reason]
  if (key) return t(`reasons.${key}` as never)
  const tooLong = /^longer than (\d+) characters$/.exec(reason)
  if (tooLong) return t('reasons.tooLong', { max: tooLong[1]! })
  const oneOf = /^must be one of (.+)$/.exec(reason)
  if (oneOf) return t('reasons.oneOf', { values: oneOf[1]! })
  if (reason.startsWith('unreadable CSV record')) return t('reasons.unreadable', { detail: reason.replace(/^unreadable CSV record:?\s*/, '') })
  return reason
}
