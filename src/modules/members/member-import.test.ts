import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import { tamper } from '../../../test/tamper.js'
import { parseMapping, type ImportRowError } from './member-import.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

const MAP = '手机=phone,姓名=name,性别=gender,生日=birthday,身份证=idNumber,门店=storeCode,旧卡号=externalCode,短信=consent.sms'

// Line 1 is the header. Lines 2, 7 and 11 are good, 9 repeats 7; the others each break a rule.
const CSV = [
  '手机,姓名,性别,生日,身份证,门店,旧卡号,短信',
  '13700000001,张伟,男,1980-05-06,,SHA01,OLD1,是',
  '12345,李娜,女,1985-01-01,,SHA01,OLD2,否',
  '13700000003,王芳,女,1985-13-01,,SHA01,OLD3,1',
  '13700000004,刘洋,男,1990-01-01,110105199001011231,SHA01,OLD4,0',
  '13700000005,陈静,女,,,NOPE,OLD5,1',
  '13700000006,杨磊,M,1975-07-07,,BJB01,OLD6,yes',
  '13700000007,赵敏,X,1991-01-01,,SHA01,OLD7,maybe',
  '13700000006,杨磊,M,1975-07-07,,BJB01,OLD6,yes',
  ',孙悟空,男,,,SHA01,,1',
  ',老会员,女,1960-02-02,,,OLD10,',
].join('\n') + '\n'

const stream = (text: string | Buffer) => Readable.from([Buffer.from(text)])

const runImport = async (text: string | Buffer, options: { updateExisting?: boolean; gzip?: boolean; batchSize?: number; mapping?: string } = {}) => {
  const errors: ImportRowError[] = []
  const counts = await t.services.memberImports.run(t.actors.hq_admin, {
    source: stream(text), gzip: options.gzip, mapping: parseMapping(options.mapping ?? MAP), updateExisting: options.updateExisting,
    batchSize: options.batchSize, onErrors: (e) => { errors.push(...e) },
  })
  return { counts, errors }
}

const memberCount = async () => Number((await t.services.db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

describe('member import', () => {
  it('imports the good rows and reports every bad one with line, column, value and reason', async () => {
    const before = await memberCount()
    const { counts, errors } = await runImport(CSV, { batchSize: 3 })
    expect(counts).toEqual({ rowsRead: 10, inserted: 3, updated: 0, skipped: 1, failed: 6 })
    expect(await memberCount()).toBe(before + 3)
    expect(errors).toEqual([
      { line: 3, column: '手机', value: '12345', reason: expect.stringContaining('mobile') },
      { line: 4, column: '生日', value: '1985-13-01', reason: expect.stringContaining('not a date') },
      { line: 5, column: '身份证', value: '110105199001011231', reason: expect.stringContaining('resident ID') },
      { line: 6, column: '门店', value: 'NOPE', reason: 'no store with this code' },
      { line: 8, column: '性别', value: 'X', reason: expect.stringContaining('male/female') },
      { line: 8, column: '短信', value: 'maybe', reason: expect.stringContaining('yes/no') },
      { line: 10, column: '手机', value: '', reason: 'a row needs a phone or an external member code' },
    ].sort((a, b) => a.line - b.line))

    const zhang = await t.services.members.lookup(t.actors.hq_admin, { phone: '13700000001' })
    expect(zhang).toMatchObject({ name: '张*', gender: 'male', birthday: '1980-05-06', externalCode: 'OLD1', registrationChannel: 'import', registrationStoreId: t.stores.a })
    expect(zhang.consents).toEqual([expect.objectContaining({ channel: 'sms', granted: true, source: 'import' })])
    const old = await t.services.members.lookup(t.actors.hq_admin, { externalCode: 'OLD10' })
    expect(old).toMatchObject({ phone: null, registrationStoreId: null })
  })

  it('changes nothing when the same file is imported again', async () => {
    const before = await memberCount()
    const auditBefore = await t.services.db.selectFrom('members').select(['id', 'updated_at']).orderBy('id').execute()
    const { counts, errors } = await runImport(CSV)
    expect(counts).toEqual({ rowsRead: 10, inserted: 0, updated: 0, skipped: 4, failed: 6 })
    expect(errors).toHaveLength(7)
    expect(await memberCount()).toBe(before)
    expect(await t.services.db.selectFrom('members').select(['id', 'updated_at']).orderBy('id').execute()).toEqual(auditBefore)
  })

  it('updates existing members with --update, and a second run updates nothing', async () => {
    const changed = CSV.replace('13700000001,张伟,男,1980-05-06', '13700000001,张卫,男,1980-05-07')
    expect((await runImport(changed, { updateExisting: true })).counts).toMatchObject({ inserted: 0, updated: 1, skipped: 3 })
    const zhang = await t.services.members.lookup(t.actors.hq_admin, { phone: '13700000001' })
    expect(zhang.birthday).toBe('1980-05-07')
    expect((await t.services.members.reveal(t.actors.hq_admin, zhang.id, ['name'])).name).toBe('张卫')
    expect((await runImport(changed, { updateExisting: true })).counts).toMatchObject({ inserted: 0, updated: 0, skipped: 4 })
  })

  it('reads gzip files', async () => {
    const csv = '手机,姓名\n13700000101,周一\n13700000102,周二\n'
    expect((await runImport(gzipSync(csv), { gzip: true, mapping: '手机=phone,姓名=name' })).counts).toMatchObject({ inserted: 2 })
  })

  it('keeps the rows committed before a crash, and a re-run completes the rest once', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `1370000${String(2000 + i).padStart(4, '0')},会员${i}`)
    const csv = `手机,姓名\n${lines.join('\n')}\n`
    // The source dies after 30 of the 50 rows, as a killed process or a lost disk would.
    const failing = Readable.from((async function* () {
      yield Buffer.from('手机,姓名\n')
      for (const line of lines.slice(0, 30)) yield Buffer.from(`${line}\n`)
      // Time for the batches already read to commit, as they would before a real crash.
      await new Promise((r) => setTimeout(r, 1000))
      throw new Error('disk unplugged')
    })(), { objectMode: false })
    const before = await memberCount()
    await expect(t.services.memberImports.run(t.actors.hq_admin, { source: failing, mapping: parseMapping('手机=phone,姓名=name'), batchSize: 10 }))
      .rejects.toThrow('disk unplugged')
    const afterCrash = await memberCount()
    expect(afterCrash - before).toBeGreaterThanOrEqual(10)
    expect(afterCrash - before).toBeLessThan(50)
    const { counts } = await runImport(csv, { mapping: '手机=phone,姓名=name', batchSize: 10 })
    expect(counts.inserted + counts.skipped).toBe(50)
    expect(counts.skipped).toBe(afterCrash - before)
    expect(await memberCount()).toBe(before + 50)
  })

  it('refuses a mapping to an unknown field or a column the file lacks, storing nothing', async () => {
    expect(() => parseMapping('手机=mobile')).toThrow(/unknown field "mobile"/)
    expect(() => parseMapping('姓名=name')).toThrow(/map phone or externalCode/)
    expect(() => parseMapping('a=phone,b=phone')).toThrow(/mapped twice/)
    const before = await memberCount()
    await expect(runImport('电话,姓名\n13700000201,x\n', { mapping: '手机=phone' })).rejects.toMatchObject({ code: 'IMPORT_COLUMNS_MISSING' })
    expect(await memberCount()).toBe(before)
  })

  it('reports an unreadable CSV record and keeps the rows before it', async () => {
    const csv = '手机,姓名\n13700000301,好\n13700000302,"未闭合\n'
    const { counts, errors } = await runImport(csv, { mapping: '手机=phone,姓名=name' })
    expect(counts).toMatchObject({ rowsRead: 2, inserted: 1, failed: 1 })
    expect(errors).toEqual([{ line: 3, column: '', value: '', reason: expect.stringMatching(/unreadable CSV record: .*quote/i) }])
    const ragged = await runImport('手机,姓名\n13700000303,a,extra,columns\n13700000304,b\n', { mapping: '手机=phone,姓名=name' })
    expect(ragged.counts.inserted).toBe(2)
  })
})

describe('member import over HTTP', () => {
  const multipart = (fields: Record<string, string>, file: { name: string; content: string }) => {
    const boundary = '----patron-test-boundary'
    const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n${file.content}\r\n`)
    return { payload: Buffer.from(parts.join('') + `--${boundary}--\r\n`), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
  }

  it('runs an upload in the background and serves its progress and masked error report', async () => {
    const cookie = await t.login(t.users.hq_admin!.username)
    const csv = '手机,姓名\n13700000401,上传一\n99999,上传二\n13700000403,上传三\n'
    const { payload, headers } = multipart({ mapping: '手机=phone,姓名=name', storeId: t.stores.b }, { name: 'members.csv', content: csv })
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/member-imports', payload, headers: { ...headers, cookie } })
    expect(res.statusCode).toBe(202)
    const id = res.json().id as string
    let status = res.json()
    for (let i = 0; i < 300 && status.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50))
      status = (await t.app.inject({ method: 'GET', url: `/api/v1/member-imports/${id}`, headers: { cookie } })).json()
    }
    expect(status).toMatchObject({ status: 'completed', rowsRead: 3, inserted: 2, failed: 1, sourceName: 'members.csv' })
    const report = await t.app.inject({ method: 'GET', url: `/api/v1/member-imports/${id}/errors.csv`, headers: { cookie } })
    expect(report.headers['content-type']).toContain('text/csv')
    // The uploader's report, in Chinese by default, shows the value as it was in the file.
    expect(report.body).toBe('\uFEFF行号,列,值,原因\n3,手机,99999,不是有效的中国大陆手机号（11 位，13–19 开头，可带 +86）\n')
    const english = await t.app.inject({ method: 'GET', url: `/api/v1/member-imports/${id}/errors.csv?lang=en-US`, headers: { cookie } })
    expect(english.body).toBe('\uFEFFline,column,value,reason\n3,手机,99999,"not a mainland China mobile number (11 digits starting 13–19, +86 allowed)"\n')
    // Anyone else who may import sees the value masked.
    const other = await t.given.staff('hq_admin')
    const masked = await t.app.inject({ method: 'GET', url: `/api/v1/member-imports/${id}/errors.csv`, headers: { cookie: await t.login(other.username), 'accept-language': 'en-US,en;q=0.9' } })
    expect(masked.body).toMatch(/^\uFEFFline,column,value,reason\n3,手机,\*{5},"not a mainland China mobile number/)
    expect(await t.services.db.selectFrom('import_errors').select(['value', 'value_sealed']).where('import_id', '=', id).execute())
      .toEqual([{ value: '*****', value_sealed: expect.stringMatching(/^v1\./) }])
    expect((await t.services.members.lookup(t.actors.hq_admin, { phone: '13700000401' })).registrationStoreId).toBe(t.stores.b)
  }, 90_000)

  it('reports an import whose server stopped as failed, once it has shown no progress for 10 minutes', async () => {
    const at = t.clock.now().toISOString()
    await tamper(t, 'an import whose server died in the middle').insertInto('imports').values({
      id: 'imp_stale', kind: 'members', status: 'running', source_name: 'old.csv', settings: JSON.stringify({ mapping: { 手机: 'phone' }, updateExisting: false }), store_id: null,
      total_bytes: 100, processed_bytes: 40, counts: JSON.stringify({ rowsRead: 2, inserted: 2, updated: 0, skipped: 0, failed: 0 }), error_code: null, error_message: null,
      created_by: null, created_at: at, heartbeat_at: at, finished_at: null, upload_file: null,
    }).execute()
    t.clock.advance(5 * 60 * 1000)
    expect((await t.services.memberImports.get(t.actors.hq_admin, 'imp_stale')).status).toBe('running')
    t.clock.advance(6 * 60 * 1000)
    expect(await t.services.memberImports.get(t.actors.hq_admin, 'imp_stale')).toMatchObject({ status: 'failed', errorCode: 'IMPORT_INTERRUPTED', errorMessage: expect.stringContaining('interrupted') })
  })

  it('refuses an upload without a file, a non-multipart body, an unknown store, and an unknown import id', async () => {
    const cookie = await t.login(t.users.hq_admin!.username)
    const post = (payload: Buffer | string, headers: Record<string, string>) => t.app.inject({ method: 'POST', url: '/api/v1/member-imports', payload, headers: { ...headers, cookie } })
    const boundary = '----patron-test-boundary'
    const noFile = await post(`--${boundary}\r\nContent-Disposition: form-data; name="mapping"\r\n\r\n手机=phone\r\n--${boundary}--\r\n`, { 'content-type': `multipart/form-data; boundary=${boundary}` })
    expect(noFile.statusCode).toBe(400)
    expect(noFile.json().error).toMatchObject({ code: 'IMPORT_NO_FILE', details: [{ field: 'file' }] })
    const json = await post(JSON.stringify({ mapping: '手机=phone' }), { 'content-type': 'application/json' })
    expect(json.statusCode).toBe(400)
    expect(json.json().error.code).toBe('IMPORT_NOT_MULTIPART')
    const before = (await t.services.memberImports.list(t.actors.hq_admin)).length
    const unknownStore = multipart({ mapping: '手机=phone', storeId: 'sto_nope' }, { name: 'x.csv', content: '手机\n13700000601\n' })
    const res = await post(unknownStore.payload, unknownStore.headers)
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details).toEqual([{ field: 'storeId', reason: 'no such store' }])
    expect(await t.services.memberImports.list(t.actors.hq_admin)).toHaveLength(before)
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/member-imports/imp_nope', headers: { cookie } })
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.code).toBe('IMPORT_NOT_FOUND')
  })

  it('refuses an upload with a bad mapping before storing anything, and a cashier outright', async () => {
    const cookie = await t.login(t.users.hq_admin!.username)
    const bad = multipart({ mapping: '手机=telephone' }, { name: 'x.csv', content: '手机\n13700000501\n' })
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/member-imports', payload: bad.payload, headers: { ...bad.headers, cookie } })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details[0]).toMatchObject({ field: 'mapping' })
    const cashier = await t.login(t.users.cashier!.username)
    const ok = multipart({ mapping: '手机=phone' }, { name: 'x.csv', content: '手机\n13700000501\n' })
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/member-imports', payload: ok.payload, headers: { ...ok.headers, cookie: cashier } })).statusCode).toBe(403)
  })
})

describe('patron members import (CLI)', () => {
  it('prints the counts, writes the error report and exits 1 when rows were refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'patron-cli-'))
    const file = join(dir, 'members.csv')
    writeFileSync(file, '手机,姓名\n13700000601,命令行\nabc,坏行\n')
    const env = { ...process.env, PATRON_DATA_DIR: dir, DATABASE_URL: t.db.url.startsWith('sqlite:') ? `sqlite:${join(dir, 'cli.db')}` : t.db.url, PATRON_KEY_FILE: join(dir, 'k.json') }
    const run = promisify(execFile)
    const tsx = join(process.cwd(), 'node_modules/.bin/tsx')
    const result = await run(tsx, ['src/cli/main.ts', 'members', 'import', file, '--map', '手机=phone,姓名=name'], { env }).catch((e: { code: number; stdout: string; stderr: string }) => e)
    expect(result).toMatchObject({ code: 1 })
    expect((result as { stdout: string }).stdout).toContain('1 members added')
    const report = readFileSync(join(dir, 'members.errors.csv'), 'utf8')
    expect(report).toBe('line,column,value,reason\n3,手机,abc,"not a mainland China mobile number (11 digits starting 13–19, +86 allowed)"\n')
    const bad = await run(tsx, ['src/cli/main.ts', 'members', 'import', file, '--map', '手机=mobile'], { env }).catch((e: { code: number; stderr: string }) => e)
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown field "mobile"') })
    // A file over a limit: file, line and reason, exit 2.
    const over = await run(tsx, ['src/cli/main.ts', 'members', 'import', file, '--map', '手机=phone,姓名=name'], { env: { ...env, PATRON_IMPORT_MAX_ROWS: '1' } }).catch((e: { code: number; stderr: string }) => e)
    expect(over).toMatchObject({ code: 2, stderr: expect.stringContaining(`${file}: line 3: more than 1 rows; split the file`) })
  }, 180_000)
})
