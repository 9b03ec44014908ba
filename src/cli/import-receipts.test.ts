import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test/db.js'
import { UCI_MAP, uciSlice } from '../../test/uci.js'
import { createServices, type Services } from '../services.js'
import { systemClock } from '../shared/clock.js'
import { Keyring } from '../shared/pii.js'

// `patron receipts import` as a user runs it, one process per run, against the engine under test.
const dir = mkdtempSync(join(tmpdir(), 'patron-receipts-cli-'))
let tdb: TestDatabase
let services: Services
let env: NodeJS.ProcessEnv
// Node with tsx's loader in-process (the tsx binary would run the import in a child of its own,
// which a SIGKILL of the binary would not stop).
const cli = (...args: string[]) => [process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'receipts', 'import', ...args]] as const

beforeAll(async () => {
  tdb = await createTestDatabase({ sqliteFile: join(dir, 'patron.db') })
  services = createServices({ database: tdb.database, keyring: new Keyring(Keyring.generate()), clock: systemClock, timezone: 'Asia/Shanghai', dataDir: dir })
  await services.org.createStore({ kind: 'system', name: 'test' }, { code: 'SHA01', name: '上海浦东店', city: '上海', district: '浦东新区' })
  env = { ...process.env, DATABASE_URL: tdb.url, PATRON_DATA_DIR: dir, PATRON_KEY_FILE: join(dir, 'patron.key'), LOG_LEVEL: 'silent' }
})
afterAll(async () => tdb.drop())

const count = async (sql: 'receipts' | 'receipt_lines' | 'members') =>
  Number((await services.db.selectFrom(sql).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

describe('patron receipts import', () => {
  it('completes an import killed mid-file when run again, storing every receipt exactly once', async () => {
    // The first 59,958 rows end with an invoice. Counted independently: 2,121 sales (15 of them
    // second parts of invoices over 500 lines) and 446 returns, 59,628 lines, 1,165 customers.
    const file = await uciSlice(59_958, join(dir, 'uci-60k.csv'))
    const args = [file, '--map', UCI_MAP, '--store', 'SHA01', '--timezone', 'Europe/London', '--create-members', '--member-key', 'external', '--return-prefix', 'C', '--batch', '50']
    const [node, argv] = cli(...args)
    const child = spawn(node, argv, { env, stdio: 'ignore' })
    const exited = once(child, 'exit')
    let atKill = 0
    for (let i = 0; i < 1200 && child.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 50))
      atKill = await count('receipts')
      if (atKill >= 300) {
        child.kill('SIGKILL')
        break
      }
    }
    const [, signal] = await exited
    expect(signal).toBe('SIGKILL')
    expect(atKill).toBeGreaterThan(0)
    const afterCrash = await count('receipts')
    expect(afterCrash).toBeLessThan(2567)

    const rerun = await promisify(execFile)(node, [...argv.slice(0, -args.length), ...args, '--report', join(dir, 'errors.csv')], { env, encoding: 'utf8' })
      .catch((e: { code: number; stdout: string; stderr: string }) => e)
    // Exit 1: the file has rows that are not imported (price 0), listed as FILE:LINE: reason.
    expect(rerun).toMatchObject({ code: 1, stderr: expect.stringContaining(`${file}:624: InvoiceNo: receipt skipped: every line has quantity 0 or price 0`) })
    const posted = /: (\d+) receipts and (\d+) returns posted/.exec(rerun.stdout)
    expect(Number(posted![1]) + Number(posted![2])).toBe(2567 - afterCrash)
    expect(await count('receipts')).toBe(2567)
    expect(await count('receipt_lines')).toBe(59_628)
    expect(await count('members')).toBe(1165)
    const halfPosted = await services.db.selectFrom('receipts').select('receipt_no')
      .where((eb) => eb('line_count', '!=', eb.selectFrom('receipt_lines').select((x) => x.fn.countAll<number>().as('n')).whereRef('receipt_lines.receipt_id', '=', 'receipts.id'))).execute()
    expect(halfPosted).toEqual([])
    expect(await services.loyalty.verify()).toEqual([])
    expect(readFileSync(join(dir, 'errors.csv'), 'utf8')).toMatch(/^line,column,value,reason\n624,InvoiceNo,536414,"receipt skipped/)
  }, 300_000)

  it('exits 2 naming the file and the reason when the import cannot run', async () => {
    const file = join(dir, 'uci-60k.csv')
    const run = (...a: string[]) => promisify(execFile)(...cli(...a), { env, encoding: 'utf8' }).catch((e: { code: number; stderr: string }) => e)
    expect(await run(file, '--map', 'InvoiceNo=receipt_no', '--store', 'SHA01')).toMatchObject({ code: 2, stderr: expect.stringContaining('map a column to business_at, sku, quantity, unit_price') })
    expect(await run(file, '--map', UCI_MAP.replace('CustomerID', 'Customer'), '--store', 'SHA01')).toMatchObject({ code: 2, stderr: expect.stringContaining(`${file}: column(s) "Customer" not in the file`) })
    expect(await run(file, '--map', UCI_MAP, '--store', 'NOPE')).toMatchObject({ code: 2, stderr: expect.stringContaining('no store with code NOPE') })
    expect(await run(join(dir, 'missing.csv'), '--map', UCI_MAP)).toMatchObject({ code: 2, stderr: expect.stringContaining('missing.csv: no such file') })
  }, 120_000)
})
