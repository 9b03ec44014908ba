// The API counts money in integer fen; people type and read yuan.

/**
 * Yuan typed in a form as integer fen: 12.3 → 1230. Binary floats make 0.29 × 100 =
 * 28.999…, so the product is cut to a few decimals before rounding.
 */
export const yuanToFen = (yuan: number): number => Math.round(Number((yuan * 100).toFixed(4))) + 0

/** Fen as a yuan number for a form field: 1230 → 12.3. */
export const fenToYuan = (fen: number): number => fen / 100

/** An optional amount: empty stays empty (null), a number becomes fen. */
export const optionalYuanToFen = (yuan: number | null | undefined): number | null =>
  yuan === null || yuan === undefined || Number.isNaN(yuan) ? null : yuanToFen(yuan)

/** A rate that may be a fraction of a fen (a price per point): ¥1.00, ¥0.50, ¥0.005. */
export const yuanText = (fen: number): string =>
  `${fen < 0 ? '-' : ''}¥${(Math.abs(fen) / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`
