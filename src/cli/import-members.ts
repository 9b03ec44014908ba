import cliProgress from 'cli-progress'
import { stringify } from 'csv-stringify'
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs'
import { once } from 'node:events'
import { pipeline } from 'node:stream/promises'
import { parseMapping, type ImportRowError } from '../modules/members/index.js'
import { storeByCode } from '../modules/org/index.js'
import type { Actor } from '../shared/actor.js'
import { isDomainError } from '../shared/errors.js'
import { openPatron } from './bootstrap.js'

/** `patron members import`: streams the file, shows progress, writes FILE.errors.csv for refused rows. */
export const importMembersCommand = async (file: string, opts: { map: string; update?: boolean; store?: string; report?: string }) => {
  if (!existsSync(file)) throw new Error(`${file}: no such file`)
  const mapping = parseMapping(opts.map)
  const patron = await openPatron()
  const actor: Actor = { kind: 'system', name: 'cli:members-import' }
  const reportPath = opts.report ?? `${file.replace(/\.gz$/, '').replace(/\.csv$/i, '')}.errors.csv`
  const report = stringify({ header: true, columns: ['line', 'column', 'value', 'reason'] })
  const out = createWriteStream(reportPath)
  // A write error (disk full) fails the import's next write and the close, not the process.
  const written = pipeline(report, out)
  written.catch(() => {})
  let errorRows = 0
  const totalBytes = statSync(file).size
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar({ format: 'Importing [{bar}] {percentage}% | {rows} rows, {inserted} new, {updated} updated, {skipped} skipped, {failed} refused', stream: process.stderr }, cliProgress.Presets.shades_classic)
    : null
  bar?.start(totalBytes, 0, { rows: 0, inserted: 0, updated: 0, skipped: 0, failed: 0 })
  let lastLine = 0
  try {
    let defaultStoreId: string | null = null
    if (opts.store) {
      const store = await storeByCode(patron.services.db, opts.store)
      if (!store) throw new Error(`--store: no store with code ${opts.store}`)
      defaultStoreId = store.id
    }
    const result = await patron.services.memberImports.runRecorded(actor, {
      source: createReadStream(file), gzip: file.endsWith('.gz'), sourceName: file, totalBytes, mapping, updateExisting: Boolean(opts.update), defaultStoreId,
      onProgress: (p) => {
        bar?.update(Math.min(p.bytesRead, totalBytes), { rows: p.rowsRead, inserted: p.inserted, updated: p.updated, skipped: p.skipped, failed: p.failed })
        if (!bar && Date.now() - lastLine > 5000) {
          lastLine = Date.now()
          console.error(`${Math.round((100 * p.bytesRead) / totalBytes)}%: ${p.rowsRead} rows, ${p.inserted} new, ${p.skipped} skipped, ${p.failed} refused`)
        }
      },
      onErrors: async (errors: ImportRowError[]) => {
        for (const e of errors) {
          errorRows++
          if (!report.write([e.line, e.column, e.value, e.reason])) await Promise.race([once(report, 'drain'), written])
        }
      },
    })
    bar?.stop()
    console.log(`${file}: ${result.rowsRead} rows read, ${result.inserted} members added, ${result.updated} updated, ${result.skipped} skipped (already there), ${result.failed} refused.`)
    if (result.failed > 0) {
      console.log(`Refused rows are listed in ${reportPath} (${errorRows} problems: line, column, value, reason).`)
      process.exitCode = 1
    }
  } catch (err) {
    if (isDomainError(err)) throw new Error(`${file}: ${err.details.map((d) => d.reason).join('; ') || err.message}`, { cause: err })
    throw err
  } finally {
    bar?.stop()
    report.end()
    await written
    await patron.close()
  }
}
