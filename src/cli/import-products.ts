import { stringify } from 'csv-stringify'
import { once } from 'node:events'
import { pipeline } from 'node:stream/promises'
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs'
import { parseProductMapping, type ProductImportRowError } from '../modules/catalog/index.js'
import type { Actor } from '../shared/actor.js'
import { isDomainError } from '../shared/errors.js'
import { openPatron } from './bootstrap.js'

/** Opens the optional full error report; the console shows only the first problems. */
const openReport = (path: string | undefined) => {
  if (!path) return null
  const csv = stringify({ header: true, columns: ['line', 'column', 'value', 'reason'] })
  const out = createWriteStream(path)
  // A write error (disk full) fails the import's next write and the close, not the process.
  const written = pipeline(csv, out)
  written.catch(() => {})
  return {
    write: async (errors: ProductImportRowError[]) => {
      for (const e of errors) if (!csv.write([e.line, e.column, e.value, e.reason])) await Promise.race([once(csv, 'drain'), written])
    },
    close: async () => {
      csv.end()
      await written
    },
  }
}

/**
 * `patron products import`: loads a product CSV, prints each refused row as FILE:LINE: reason.
 * Exit code 0 when every row was fine, 1 when some were refused; an unusable file throws (2).
 */
export const importProductsCommand = async (file: string, opts: { map?: string; update?: boolean; report?: string }) => {
  if (!existsSync(file)) throw new Error(`${file}: no such file`)
  const mapping = opts.map ? parseProductMapping(opts.map) : null
  const patron = await openPatron()
  const actor: Actor = { kind: 'system', name: 'cli:products-import' }
  const report = openReport(opts.report)
  try {
    const result = await patron.services.productImports.run(actor, {
      source: createReadStream(file), gzip: file.endsWith('.gz'), mapping, update: Boolean(opts.update), sourceName: file, totalBytes: statSync(file).size,
      onErrors: report?.write,
    })
    for (const e of result.errors) console.error(`${file}:${e.line}: ${e.column ? `${e.column}: ` : ''}${e.reason}`)
    if (result.errorsOmitted > 0) console.error(`${file}: ${result.errorsOmitted} more problems not shown${opts.report ? `; all are in ${opts.report}` : ' (use --report FILE for all)'}`)
    console.log(`${file}: ${result.read} rows read, ${result.inserted} products added, ${result.updated} updated, ${result.skipped} skipped, ${result.failed} refused.`)
    if (result.failed > 0) process.exitCode = 1
  } catch (err) {
    if (isDomainError(err)) throw new Error(`${file}: ${err.details.map((d) => d.reason).join('; ') || err.message}`, { cause: err })
    throw err
  } finally {
    await report?.close()
    await patron.close()
  }
}
