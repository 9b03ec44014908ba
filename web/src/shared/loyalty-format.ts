import { formatCount } from '../format.js'
import type { paths } from '../api/schema.js'

export type LedgerEntry = paths['/api/v1/members/{id}/points/entries']['get']['responses']['200']['content']['application/json']['items'][number]
export type LedgerKind = 'earn' | 'spend' | 'reversal' | 'refund' | 'expire' | 'adjust' | 'merge' | 'redeem' | 'draw' | 'award'
export const LEDGER_KINDS: LedgerKind[] = ['earn', 'spend', 'reversal', 'refund', 'expire', 'adjust', 'merge', 'redeem', 'draw', 'award']

export const LEDGER_KIND_COLORS: Record<LedgerKind, string> = {
  earn: 'green', spend: 'blue', reversal: 'orange', refund: 'cyan', expire: 'default', adjust: 'purple', merge: 'magenta', redeem: 'geekblue', draw: 'gold', award: 'lime',
}

/** Points with their sign: +120, -30, 0. */
export const signedPoints = (points: number): string => (points > 0 ? `+${formatCount(points)}` : formatCount(points))

export type LedgerCause =
  | { kind: 'receipt'; receiptId: string }
  | { kind: 'member'; memberId: string }
  | { kind: 'lot'; lotId: string }
  | { kind: 'none' }

/**
 * What caused a ledger entry, by what the server records: a receipt (earn, spend, reversal,
 * refund), the other member of a merge, the lot that expired; adjustments carry only their reason.
 */
export const ledgerCause = (entry: Pick<LedgerEntry, 'kind' | 'receiptId' | 'reference'>): LedgerCause => {
  if (entry.receiptId) return { kind: 'receipt', receiptId: entry.receiptId }
  if (entry.kind === 'merge' && entry.reference) return { kind: 'member', memberId: entry.reference }
  if (entry.kind === 'expire' && entry.reference) return { kind: 'lot', lotId: entry.reference }
  return { kind: 'none' }
}

/** Whether a lot is past its expiry date (a YYYY-MM-DD in the chain's calendar) on `today`. */
export const isLotExpired = (expiresOn: string, today: string): boolean => expiresOn < today
