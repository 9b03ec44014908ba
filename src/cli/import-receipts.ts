import cliProgress from 'cli-progress'
import { stringify } from 'csv-stringify'
import { once } from 'node:events'
import { pipeline } from 'node:stream/promises'
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs'
import { parseReceiptMapping, type MemberKeyKind, type ReceiptImportRowError } from '../modules/transactions/index.js'
import type { Actor } from '../shared/actor.js'
import { isDomainError } from '../shared/errors.js'
import { openPatron } from './bootstrap.js'

export interface ImportReceiptsOptions {
  map: string
  store?: string
  timezone?: string
  points?: boolean
  createMembers?: boolean
  memberKey?: MemberKeyKind
  returnPrefix?: string
  report?: string
  batch?: number
}

/** How many problems are printed; the rest are in the --report file. */
const SHOWN = 20

/** Opens the full error report (line, column, value, reason). */
const openReport = async (path: string) => {
  const out = createWriteStream(path)
  await once(out, 'open')
  const csv = stringify({ header: true, columns: ['line', 'column', 'value', 'reason'] })
  // A write error (disk full) fails the import's next write and the close, not the process.
  const written = pipeline(csv, out)
  written.catch(() => {})
  return {
    write: async (errors: ReceiptImportRowError[]) => {
      for (const e of errors) if (!csv.write([e.line, e.column, e.value, e.reason])) await Promise.race([once(csv, 'drain'), written])
    },
    close: async () => {
      csv.end()
      await written
    },
  }
}

/**
 * `patron receipts import`: streams a POS export into receipts with a progress bar, prints the
 * first problems as FILE:LINE: reason and a summary. Exit code 0 when every row was imported (or
 * already was), 1 when some rows or receipts were not; an unusable file throws (2).
 */
export const importReceiptsCommand = async (file: string, opts: ImportReceiptsOptions) => {
  if (!existsSync(file)) throw new Error(`${file}: no such file`)
  const mapping = parseReceiptMapping(opts.map)
  const totalBytes = statSync(file).size
  const patron = await openPatron()
  const actor: Actor = { kind: 'system', name: 'cli:receipts-import' }
  const report = opts.report ? await openReport(opts.report).catch(async (e: Error) => {
    await patron.close()
    throw new Error(`--report ${opts.report}: ${e.message}`)
  }) : null
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar({
      format: 'Importing [{bar}] {percentage}% | {lines} lines, {posted} receipts, {returns} returns, {skipped} skipped, {failed} failed | {rate} lines/s',
      stream: process.stderr,
    }, cliProgress.Presets.shades_classic)
    : null
  const started = Date.now()
  const rate = (lines: number) => Math.round(lines / Math.max(0.001, (Date.now() - started) / 1000))
  bar?.start(totalBytes, 0, { lines: 0, posted: 0, returns: 0, skipped: 0, failed: 0, rate: 0 })
  let lastLine = 0
  const first: ReceiptImportRowError[] = []
  try {
    const result = await patron.services.receiptImports.runRecorded(actor, {
      source: createReadStream(file), gzip: file.endsWith('.gz'), sourceName: file, totalBytes, mapping, storeCode: opts.store ?? null,
      timezone: opts.timezone ?? null, awardPoints: opts.points !== false, createMembers: Boolean(opts.createMembers), memberKey: opts.memberKey,
      returnPrefix: opts.returnPrefix, batchSize: opts.batch,
      onProgress: (p) => {
        bar?.update(Math.min(p.bytesRead, totalBytes), { lines: p.linesRead, posted: p.receiptsPosted, returns: p.returnsPosted, skipped: p.receiptsSkipped, failed: p.failed, rate: rate(p.linesRead) })
        if (!bar && Date.now() - lastLine > 5000) {
          lastLine = Date.now()
          console.error(`${Math.round((100 * p.bytesRead) / totalBytes)}%: ${p.linesRead} lines, ${p.receiptsPosted} receipts, ${p.returnsPosted} returns, ${p.receiptsSkipped} skipped, ${p.failed} failed`)
        }
      },
      onErrors: async (errors) => {
        first.push(...errors.slice(0, SHOWN - first.length))
        await report?.write(errors)
      },
    })
    bar?.stop()
    for (const e of first) console.error(`${file}:${e.line}: ${e.column ? `${e.column}: ` : ''}${e.reason}`)
    const seconds = (Date.now() - started) / 1000
    if (result.errorCount > SHOWN) console.error(`${file}: ${result.errorCount - SHOWN} more problems not shown${opts.report ? `; all are in ${opts.report}` : ' (use --report FILE for all)'}`)
    console.log(`${file}: ${result.linesRead} lines read in ${seconds.toFixed(1)} s (${rate(result.linesRead)} lines/s): ${result.receiptsPosted} receipts and ${result.returnsPosted} returns posted, `
      + `${result.receiptsSkipped} skipped (already stored or nothing to post), ${result.failed} not posted, ${result.membersCreated} members created, ${result.errorCount} problems.`)
    if (result.errorCount > 0) process.exitCode = 1
  } catch (err) {
    if (isDomainError(err)) throw new Error(`${file}: ${err.details.map((d) => d.reason).join('; ') || err.message}`, { cause: err })
    throw err
  } finally {
    bar?.stop()
    await report?.close()
    await patron.close()
  }
}
