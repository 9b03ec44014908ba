import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { tamper } from '../../../test/tamper.js'
import { sweepImportUploads } from '../../cli/import-sweep.js'
import { parseMapping } from './member-import.js'

const context = useTestContext()
let t: TestContext
let cookie: string
beforeAll(async () => {
  t = await context()
  cookie = await t.login(t.users.hq_admin!.username)
})

const BOUNDARY = '----patron-safety-boundary'
const field = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
const filePart = (name: string, content: Buffer | string, fieldName = 'file') =>
  Buffer.concat([Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${fieldName}"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), Buffer.from(content), Buffer.from('\r\n')])
const upload = (parts: Array<string | Buffer>, { close = true } = {}) => t.app.inject({
  method: 'POST', url: '/api/v1/member-imports', payload: Buffer.concat([...parts.map((p) => Buffer.from(p)), Buffer.from(close ? `--${BOUNDARY}--\r\n` : '')]),
  headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, cookie },
})
const uploads = () => new Set(readdirSync(t.services.memberImports.uploadDir()))
/** Files that appeared in the uploads folder since `before`. */
const leftSince = (before: Set<string>) => [...uploads()].filter((f) => !before.has(f))

const waitFor = async <T>(fn: () => Promise<T>, done: (v: T) => boolean, ms = 60_000): Promise<T> => {
  const until = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (done(v) || Date.now() > until) return v
    await new Promise((r) => setTimeout(r, 25))
  }
}
const getImport = async (id: string) => (await t.app.inject({ method: 'GET', url: `/api/v1/member-imports/${id}`, headers: { cookie } })).json()

const rows = (n: number, from: number) => Array.from({ length: n }, (_, i) => `${13800000000 + from + i},会员${i}`).join('\n')

describe('a member import upload that is refused leaves nothing behind, and says what was refused', () => {
  it('refuses a repeated mapping field by name instead of dropping it, before storing anything', async () => {
    const before = uploads()
    // A client sending one mapping field per column (11 of them) was told "map at least one column".
    const res = await upload([...Array.from({ length: 11 }, (_, i) => field('mapping', `c${i}=phone`)), filePart('m.csv', 'c0\n13700000001\n')])
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'IMPORT_FIELD_REPEATED', details: [{ field: 'mapping', reason: expect.stringContaining('more than once') }] })
    const unknown = await upload([field('mapping', '手机=phone'), field('mapping2', 'x'), filePart('m.csv', '手机\n13700000001\n')])
    expect(unknown.json().error).toMatchObject({ code: 'IMPORT_FIELD_UNKNOWN', details: [{ field: 'mapping2' }] })
    const many = await upload([field('mapping', '手机=phone'), ...Array.from({ length: 25 }, () => field('storeId', '')), filePart('m.csv', '手机\n13700000001\n')])
    expect(many.statusCode).toBe(400)
    expect(many.json().error.code).toBe('IMPORT_FIELD_REPEATED')
    expect(leftSince(before)).toEqual([])
  })

  it('removes the stored file when the body is cut short, when a field follows the file, and when the import cannot start', async () => {
    const before = uploads()
    const big = `手机,姓名\n${rows(20_000, 0)}\n`
    const cut = await upload([field('mapping', '手机=phone'), filePart('m.csv', big).subarray(0, 200_000)], { close: false })
    expect(cut.statusCode).toBe(400)
    expect(cut.json().error.code).toBe('MALFORMED_MULTIPART')
    const after = await upload([field('mapping', '手机=phone'), filePart('m.csv', big), field('storeIdx', 'x')])
    expect(after.json().error).toMatchObject({ code: 'IMPORT_FIELD_UNKNOWN', details: [{ field: 'storeIdx' }] })
    const noStore = await upload([field('mapping', '手机=phone'), field('storeId', 'sto_nope'), filePart('m.csv', big)])
    expect(noStore.statusCode).toBe(422)
    expect(leftSince(before)).toEqual([])
  })
})

describe('a member import with bounds', () => {
  it('fails a gzip bomb (one unclosed quoted field) with a code the console translates, and removes its file', async () => {
    const before = uploads()
    const bomb = gzipSync(Buffer.concat([Buffer.from('手机,姓名\n13700000901,"'), Buffer.alloc(8 * 1024 * 1024, 'x')]))
    const res = await upload([field('mapping', '手机=phone,姓名=name'), filePart('bomb.csv.gz', bomb)])
    expect(res.statusCode).toBe(202)
    const done = await waitFor(() => getImport(res.json().id), (i) => i.status !== 'running')
    expect(done).toMatchObject({ status: 'failed', errorCode: 'IMPORT_RECORD_TOO_LARGE', errorMessage: 'line 2: a record longer than 1 MiB (a quote never closed?)', inserted: 0 })
    await waitFor(async () => leftSince(before), (l) => l.length === 0)
    expect(leftSince(before)).toEqual([])
  })

  it('refuses a file over the row limit, keeping the batches before it', async () => {
    const run = t.services.memberImports.runRecorded(t.actors.hq_admin, {
      source: Readable.from([Buffer.from(`手机\n${rows(25, 1000)}\n`)]), sourceName: 'many.csv', totalBytes: 100, mapping: parseMapping('手机=phone'), limits: { maxRows: 20 },
    })
    await expect(run).rejects.toMatchObject({ code: 'IMPORT_TOO_MANY_ROWS', details: [{ field: 'file', reason: 'line 22: more than 20 rows; split the file' }] })
    const [latest] = await t.services.memberImports.list(t.actors.hq_admin)
    expect(latest).toMatchObject({ sourceName: 'many.csv', status: 'failed', errorCode: 'IMPORT_TOO_MANY_ROWS' })
  })
})

describe('cancelling a member import', () => {
  it('stops a running import after the batch in hand: it says cancelled, keeps what it committed, and its file is removed', async () => {
    const before = uploads()
    const members = async () => Number((await t.services.db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
    const start = await members()
    const res = await upload([field('mapping', '手机=phone,姓名=name'), filePart('long.csv', `手机,姓名\n${rows(40_000, 100_000)}\n`)])
    expect(res.statusCode).toBe(202)
    const id = res.json().id as string
    await waitFor(() => getImport(id), (i) => i.inserted > 0 || i.status !== 'running')
    const cancel = await t.app.inject({ method: 'POST', url: `/api/v1/member-imports/${id}/cancel`, headers: { cookie } })
    expect(cancel.statusCode).toBe(200)
    expect(cancel.json()).toMatchObject({ status: 'cancelled', errorCode: 'IMPORT_CANCELLED' })
    // The run notices at its next batch, records how far it got, and its file goes.
    await waitFor(async () => leftSince(before), (l) => l.length === 0)
    expect(leftSince(before)).toEqual([])
    const done = await getImport(id)
    expect(done.status).toBe('cancelled')
    expect(done.inserted).toBeGreaterThan(0)
    expect(done.inserted).toBeLessThan(40_000)
    expect(await members()).toBe(start + done.inserted)
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/member-imports/${id}/cancel`, headers: { cookie } })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('IMPORT_NOT_RUNNING')
    const cashier = await t.login(t.users.cashier!.username)
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/member-imports/${id}/cancel`, headers: { cookie: cashier } })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/member-imports/imp_nope/cancel', headers: { cookie } })).statusCode).toBe(404)
  }, 120_000)
})

describe('the sweep at start', () => {
  it('marks imports a stopped process left running as interrupted and removes every upload no running import owns', async () => {
    const dir = t.services.memberImports.uploadDir()
    const at = t.clock.now().toISOString()
    const old = new Date(t.clock.now().getTime() - 5 * 60 * 1000).toISOString()
    const row = (id: string, heartbeat: string, file: string) => ({
      id, kind: 'members', status: 'running' as const, source_name: `${id}.csv`, settings: JSON.stringify({ mapping: { 手机: 'phone' }, updateExisting: false }), store_id: null,
      total_bytes: 100, processed_bytes: 0, counts: JSON.stringify({ rowsRead: 0, inserted: 0, updated: 0, skipped: 0, failed: 0 }), error_code: null, error_message: null,
      created_by: null, created_at: heartbeat, heartbeat_at: heartbeat, finished_at: null, upload_file: file,
    })
    await tamper(t, 'one import running, one whose server died, each with its upload').insertInto('imports').values([row('imp_live', at, 'imp_live.upload'), row('imp_dead', old, 'imp_dead.upload')]).execute()
    for (const f of ['imp_live.upload', 'imp_dead.upload', 'imp_stray.upload', 'imp_fresh.upload']) writeFileSync(join(dir, f), 'x')
    // An upload still arriving (written just now) is not swept; the others are older than the grace.
    const past = new Date(Date.now() - 120_000)
    for (const f of ['imp_live.upload', 'imp_dead.upload', 'imp_stray.upload']) utimesSync(join(dir, f), past, past)
    await sweepImportUploads(t.services, join(dir, '..'))
    expect(['imp_live.upload', 'imp_dead.upload', 'imp_stray.upload', 'imp_fresh.upload'].map((f) => existsSync(join(dir, f)))).toEqual([true, false, false, true])
    expect(await t.services.memberImports.get(t.actors.hq_admin, 'imp_dead')).toMatchObject({ status: 'failed', errorCode: 'IMPORT_INTERRUPTED' })
    expect(await t.services.memberImports.get(t.actors.hq_admin, 'imp_live')).toMatchObject({ status: 'running' })
  })
})
