const SUFFIX_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'

/** yyyyMMddHHmmss of an instant on the wall clock of a time zone. */
export const localStamp = (at: Date, timezone: string): string => {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(at)
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00'
  return `${part('year')}${part('month')}${part('day')}${part('hour')}${part('minute')}${part('second')}`
}

/**
 * A number for a sale made at the console till (`M`, or `R` for a return): the prefix, the store's
 * local time to the second and four random characters (no I or O), so two tills of one store in
 * the same second still differ.
 */
export const receiptNumber = (at: Date, timezone: string, random: () => number = Math.random, prefix: 'M' | 'R' = 'M'): string => {
  let suffix = ''
  for (let i = 0; i < 4; i++) suffix += SUFFIX_ALPHABET[Math.floor(random() * SUFFIX_ALPHABET.length)]
  return `${prefix}${localStamp(at, timezone)}${suffix}`
}

/** A name for a browser that sells, until the store names it: WEB- and three characters. */
export const newTillId = (random: () => number = Math.random): string => {
  let id = 'WEB-'
  for (let i = 0; i < 3; i++) id += SUFFIX_ALPHABET[Math.floor(random() * SUFFIX_ALPHABET.length)]
  return id
}

/** What the store calls this till: letters, digits and -_ only, at most 32 (as the API takes it). */
export const cleanTillId = (text: string): string => text.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32)

/** One try at posting a sale: its number and time, kept while the sale is unchanged. */
export interface SaleAttempt {
  /** What was sent, apart from number and time: a different sale needs a different number. */
  key: string
  receiptNo: string
  businessAt: string
  /** Its answer never came (network, server error): it may have been posted. */
  uncertain?: boolean
}

/** Whether a failed post may still have reached the ledger: no answer, or a server error. */
export const outcomeUnknown = (status: number | undefined): boolean => status === undefined || status === 0 || status >= 500

/**
 * Before a changed sale takes a new number, the number of the try before it must be looked up
 * if that try may have been posted: else a lost answer and a changed basket post twice.
 */
export const mustCheckPrevious = (previous: SaleAttempt | null, next: SaleAttempt): previous is SaleAttempt =>
  previous !== null && previous !== next && previous.uncertain === true

/**
 * The attempt to post a sale with `key`: the previous one again while the sale is the same (a
 * double press or a retry after a lost answer resends the same receipt, which the server posts
 * once), a new number and time once anything in it changed.
 */
export const attemptFor = (previous: SaleAttempt | null, key: string, now: Date, timezone: string, random?: () => number): SaleAttempt =>
  previous && previous.key === key ? previous : { key, receiptNo: receiptNumber(now, timezone, random), businessAt: now.toISOString() }
