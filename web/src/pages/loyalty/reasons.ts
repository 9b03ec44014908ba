import type { TFunction } from 'i18next'
import { formatDateTime } from '../../format.js'

// The server explains refused rules, tiers and policy in English (loyalty-validation.ts,
// loyalty.service.ts); those reasons are shown in the user's language, anything else as sent.
const EXACT: Record<string, string> = {
  'between 1 and 20 tiers': 'tierCount',
  'codes must be unique': 'codesUnique',
  'ranks must be unique': 'ranksUnique',
  'the lowest tier must have threshold 0: every member holds a tier': 'lowestZero',
  'a higher rank needs a higher threshold': 'higherThreshold',
  'lower-case letters, digits and _': 'code',
  'required, at most 20 characters': 'tierName',
  'a whole number from 0': 'wholeFromZero',
  'a whole number of fen (or points) from 0': 'wholeFromZero',
  'percent of the base, 0 to 1000': 'earnFactor',
  'required, at most 60 characters': 'ruleName',
  'an ISO-8601 UTC instant': 'instant',
  'an ISO-8601 UTC instant after validFrom': 'validTo',
  'fen paid per point, more than 0': 'fenPerPoint',
  'a factor above 0 and at most 100 (2 = double points)': 'factor',
  'a factor above 0 and at most 100': 'factor',
  'ISO weekdays 1 (Monday) to 7 (Sunday)': 'weekdays',
  'give perReceipt, perDay or both': 'capNeedsOne',
  'a whole number of points': 'wholePoints',
  'names a store that does not exist': 'noStore',
  'names a region that does not exist': 'noRegion',
  'fen per point, 1 to 10000': 'pointValue',
  'percent, 0 to 100': 'percent',
  'calendar_years with years 0–10, or rolling_months with months 1–120': 'expiry',
  'days, 0 to 365': 'days365',
  'days, 0 to 730': 'days730',
  'spend or points': 'tierBasis',
}

/** A validation reason in the user's language; times in it are shown in `tz`. */
export const translateLoyaltyReason = (t: TFunction<'loyalty'>, reason: string, tz: string): string => {
  const key = EXACT[reason]
  if (key) return t(`reasons.${key as 'code'}`)
  const after = /^a new version must start after the current one \((.+)\)$/.exec(reason)
  if (after) return t('reasons.versionAfter', { at: formatDateTime(after[1]!, tz) })
  return reason
}
