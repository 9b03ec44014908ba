// Reading the head of an import file in the browser: the preview and the columns to map.

/**
 * Splits CSV text into records: comma-separated, fields in double quotes may hold commas,
 * line breaks and doubled quotes (""). Blank lines are skipped, as the server does.
 * Stops after `maxRecords`.
 */
export const parseCsv = (text: string, maxRecords = Number.POSITIVE_INFINITY): string[][] => {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  let i = 0
  const endRecord = () => {
    record.push(field)
    field = ''
    if (!(record.length === 1 && record[0] === '')) records.push(record)
    record = []
  }
  while (i < text.length && records.length < maxRecords) {
    const c = text[i]!
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
      } else {
        field += c
      }
      i++
      continue
    }
    if (c === '"' && field === '') quoted = true
    else if (c === ',') {
      record.push(field)
      field = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      endRecord()
      i++
    } else if (c === '\n' || c === '\r') endRecord()
    else field += c
    i++
  }
  if (records.length < maxRecords && (field !== '' || record.length > 0)) endRecord()
  return records
}

export interface FilePreview {
  /** Column names, trimmed as the server trims them. */
  header: string[]
  rows: string[][]
  /** The file holds more than the preview shows. */
  truncated: boolean
}

export type PreviewProblem = 'notUtf8' | 'noHeader' | 'gzipUnsupported'

export class PreviewError extends Error {
  constructor(readonly problem: PreviewProblem) {
    super(problem)
  }
}

const HEAD_BYTES = 64 * 1024

const readGzipHead = async (file: Blob, limit: number): Promise<{ bytes: Uint8Array; more: boolean }> => {
  if (typeof DecompressionStream === 'undefined') throw new PreviewError('gzipUnsupported')
  const reader = file.stream().pipeThrough(new DecompressionStream('gzip')).getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  let more = true
  while (size < limit) {
    const { done, value } = await reader.read()
    if (done) {
      more = false
      break
    }
    chunks.push(value)
    size += value.length
  }
  if (more) await reader.cancel().catch(() => undefined)
  const bytes = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    bytes.set(c, at)
    at += c.length
  }
  return { bytes, more }
}

/** Reads the first rows of a .csv or .csv.gz file (UTF-8, optional BOM). */
export const readPreview = async (file: Blob & { name: string }, maxRows = 20): Promise<FilePreview> => {
  const gzip = file.name.toLowerCase().endsWith('.gz')
  const { bytes, more } = gzip
    ? await readGzipHead(file, HEAD_BYTES)
    : { bytes: new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer()), more: file.size > HEAD_BYTES }
  let text: string
  try {
    // stream: a multi-byte character cut at the end of the slice is not an encoding error.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes, { stream: more })
  } catch {
    throw new PreviewError('notUtf8')
  }
  if (more) {
    // The last line may be cut off mid-way.
    const lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'))
    text = lastBreak > 0 ? text.slice(0, lastBreak) : text
  }
  const records = parseCsv(text, maxRows + 1)
  const [first, ...rows] = records
  if (!first || first.every((c) => c.trim() === '')) throw new PreviewError('noHeader')
  return { header: first.map((c) => c.trim()), rows, truncated: more || records.length > maxRows }
}

export const formatBytes = (n: number): string => {
  if (n < 1024) return `${n} B`
  const units = ['KB', 'MB', 'GB']
  let v = n / 1024
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return `${v.toFixed(v >= 100 ? 0 : 1)} ${units[u]}`
}
