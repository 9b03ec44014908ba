// The form edits yuan (12.50); the API takes and gives integer fen (1250).

/** Yuan as typed in a price field, in fen; null for an empty field. */
export const toFen = (yuan: number | null | undefined): number | null =>
  yuan === null || yuan === undefined ? null : Math.round(yuan * 100)

/** Fen for a price field, in yuan. */
export const toYuan = (fen: number | null | undefined): number | null =>
  fen === null || fen === undefined ? null : fen / 100
