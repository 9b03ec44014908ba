import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test/db.js'
import { importProductsCommand } from './import-products.js'

// The command in this process (its exit code is process.exitCode), against the engine under test.
const dir = mkdtempSync(join(tmpdir(), 'patron-products-'))
let tdb: TestDatabase
beforeAll(async () => {
  tdb = await createTestDatabase({ sqliteFile: join(dir, 'patron.db') })
  vi.stubEnv('DATABASE_URL', tdb.url)
  vi.stubEnv('PATRON_DATA_DIR', dir)
  vi.stubEnv('PATRON_KEY_FILE', join(dir, 'patron.key'))
  vi.stubEnv('LOG_LEVEL', 'silent')
})
afterEach(() => {
  process.exitCode = undefined
  vi.restoreAllMocks()
})
afterAll(async () => {
  vi.unstubAllEnvs()
  await tdb.drop()
})

const output = () => {
  const err = vi.spyOn(console, 'error').mockImplementation(() => {})
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  return { stderr: () => err.mock.calls.flat().join('\n'), stdout: () => log.mock.calls.flat().join('\n') }
}

it('imports the good rows, prints each bad one as FILE:LINE: reason and exits 1', async () => {
  const csv = join(dir, 'products.csv')
  writeFileSync(csv, '货号,品名,零售价\nC-1,苹果,3.50\nC-2,梨,three\n')
  const out = output()
  await importProductsCommand(csv, { map: '货号=sku,品名=name,零售价=list_price', report: join(dir, 'errors.csv') })
  expect(process.exitCode).toBe(1)
  expect(out.stdout()).toContain('2 rows read, 1 products added, 0 updated, 0 skipped, 1 refused')
  expect(out.stderr()).toContain(`${csv}:3: 零售价: not a price in yuan`)
  expect(readFileSync(join(dir, 'errors.csv'), 'utf8')).toMatch(/^line,column,value,reason\n3,零售价,three,/)
})

it('exits 0 when a re-run changes nothing, and refuses a file without the mapped column', async () => {
  const csv = join(dir, 'ok.csv')
  writeFileSync(csv, 'sku,name,list_price\nC-1,苹果,3.50\n')
  const out = output()
  await importProductsCommand(csv, {})
  expect(process.exitCode).toBeUndefined()
  expect(out.stdout()).toContain('1 rows read, 0 products added, 0 updated, 1 skipped, 0 refused')
  // main.ts turns the error into exit code 2.
  await expect(importProductsCommand(csv, { map: 'SKU=sku' })).rejects.toThrow(/"SKU" not in the file/)
})
