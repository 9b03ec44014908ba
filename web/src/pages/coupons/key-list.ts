// A list of members to issue coupons to, read in the browser from an uploaded .csv or .txt:
// one member a line, the first column (before a comma, tab or semicolon) a member id, card,
// phone or external code. The server resolves the keys; here we only read the file.

/** The server's limit on one key. */
export const MAX_KEY_LENGTH = 64
/** The server's limit on one bulk issue. */
export const MAX_KEYS = 200_000

export interface KeyList {
  keys: string[]
  /** the file's line number of each key, for the server's per-key errors */
  lineOf: number[]
  /** the first line, when it was a column name rather than a member */
  header: string | null
  /** lines that cannot be sent: too long for a key */
  rejected: Array<{ line: number; value: string }>
}

const firstCell = (line: string): string => {
  const cell = line.split(/[,\t;]/, 1)[0] ?? ''
  return cell.trim().replace(/^"(.*)"$/, '$1').trim()
}

/**
 * Whether a first line is a member or a column name ("phone", "手机号", "card_no"): every kind
 * of key has a digit in it (phones, cards, `mem_…` ids, and in practice external codes), a
 * column name has none.
 */
export const isKeyLike = (cell: string): boolean => /\d/.test(cell)

export const parseKeyList = (text: string): KeyList => {
  const out: KeyList = { keys: [], lineOf: [], header: null, rejected: [] }
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/)
  let first = true
  lines.forEach((line, i) => {
    const cell = firstCell(line)
    if (cell === '') return
    if (first) {
      first = false
      if (!isKeyLike(cell)) {
        out.header = cell
        return
      }
    }
    if (cell.length > MAX_KEY_LENGTH) out.rejected.push({ line: i + 1, value: cell.slice(0, MAX_KEY_LENGTH) })
    else {
      out.keys.push(cell)
      out.lineOf.push(i + 1)
    }
  })
  return out
}

/** The file line of the server's `line` (1-based, counting the keys sent). */
export const fileLine = (list: Pick<KeyList, 'lineOf'>, keyLine: number): number => list.lineOf[keyLine - 1] ?? keyLine

/**
 * The key that makes a bulk issue safe to re-run: the same file on the same day gives the same
 * key, so a second run issues only to members the first one missed.
 */
export const defaultIssueKey = (date: string, fileName: string): string => {
  const base = fileName.replace(/\.[^.]*$/, '').replace(/\s+/g, '_') || 'list'
  return `bulk-${date.replace(/-/g, '')}-${base}`.slice(0, 100)
}
