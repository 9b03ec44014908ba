import ExcelJS from 'exceljs'
import { parse } from 'csv-parse/sync'
import { Writable } from 'node:stream'
import pino from 'pino'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { nextPhone, useTestContext, type TestContext } from '../../../test/context.js'
import { buildApp } from '../../http/app.js'
import { exportCells, exportLanguage, localDateTime, neutralizeFormula, type ExportRow } from './member-export.js'

const context = useTestContext()
let t: TestContext
let cookie: string
beforeAll(async () => {
  t = await context()
  cookie = await t.login(t.users.hq_admin!.username)
})
afterEach(() => vi.restoreAllMocks())

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers: { cookie, ...headers } })
const rowsOf = (body: string): string[][] => parse(body.replace(/^\uFEFF/, ''), { relax_column_count: true })

describe('cells', () => {
  it.each([
    ['=HYPERLINK("http://evil","click")', `'=HYPERLINK("http://evil","click")`],
    ['+86 138', `'+86 138`],
    ['-1+1', `'-1+1`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\t=1', `'\t=1`],
    ['\r=1', `'\r=1`],
    ['王小明', '王小明'],
    ['138****5678', '138****5678'],
    ['a=b', 'a=b'],
  ])('neutralises %j for spreadsheets', (value, expected) => {
    expect(neutralizeFormula(value)).toBe(expected)
  })

  it.each([
    [undefined, undefined, 'zh-CN'],
    [undefined, 'en-US,en;q=0.9', 'en-US'],
    [undefined, 'fr-FR, en;q=0.5, zh;q=0.8', 'zh-CN'],
    [undefined, 'de-DE', 'zh-CN'],
    ['en-US', 'zh-CN', 'en-US'],
    ['zh-CN', 'en-US', 'zh-CN'],
  ])('lang %s with Accept-Language %s exports in %s', (lang, accept, expected) => {
    expect(exportLanguage(lang, accept)).toBe(expected)
  })

  const row: ExportRow = {
    id: 'mem_1', cardNo: '8000000000000018', phone: '138****5678', name: '=H*', gender: 'female', birthday: '1990-**-**', email: null,
    occupation: 'office_worker', education: 'bachelor', incomeBand: '5k_8k', district: '徐汇区', storeCode: 'SHA01', storeName: '上海浦东店',
    registrationChannel: 'till', externalCode: null, status: 'active', registeredAt: '2026-03-01T16:30:00.000Z', consents: { sms: true, email: false },
  }
  it('says codes in words and times in the chain time zone, in either language', () => {
    expect(exportCells(row, 'zh-CN', 'Asia/Shanghai')).toEqual([
      'mem_1', '8000000000000018', '138****5678', `'=H*`, '女', '1990-**-**', '', '公司职员', '本科', '5千-8千', '徐汇区', 'SHA01', '上海浦东店',
      '收银台', '', '正常', '2026-03-02 00:30:00', '是', '否', '', '', '',
    ])
    expect(exportCells(row, 'en-US', 'Asia/Shanghai', { escapeFormulas: false }).slice(3, 10)).toEqual(['=H*', 'Female', '1990-**-**', '', 'Office worker', "Bachelor's", '¥5k–8k'])
    expect(localDateTime('2026-03-01T16:30:00.000Z', 'Europe/London')).toBe('2026-03-01 16:30:00')
  })
})

describe('GET /members/export.csv and .xlsx', () => {
  let phone: string
  beforeAll(async () => {
    phone = nextPhone()
    await t.given.member({ phone, name: '=HYPERLINK("http://evil.example","点我")', gender: 'male', occupation: 'retired', consents: { sms: true, wechat: false } })
  })

  it('writes headers and codes in Chinese by default, stores by code and name, local times, formulas neutralised', async () => {
    const res = await get('/api/v1/members/export.csv')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/csv/)
    expect(res.body.startsWith('\uFEFF')).toBe(true)
    const [header, ...rows] = rowsOf(res.body)
    expect(header).toEqual(expect.arrayContaining(['会员卡号', '手机号', '姓名', '性别', '注册门店编码', '注册门店', '注册时间', '营销授权-短信']))
    const mine = rows.find((r) => r[2] === `${phone.slice(0, 3)}****${phone.slice(-4)}`)!
    const cell = (h: string) => mine[header!.indexOf(h)]
    expect(cell('姓名')!.startsWith("'=")).toBe(true)
    expect(cell('性别')).toBe('男')
    expect(cell('职业')).toBe('退休')
    expect(cell('注册门店编码')).toBe('SHA01')
    expect(cell('注册门店')).toBe('上海浦东店')
    expect(cell('注册时间')).toBe('2026-03-02 10:00:00')
    expect(cell('营销授权-短信')).toBe('是')
    expect(cell('营销授权-微信')).toBe('否')
    expect(cell('营销授权-邮件')).toBe('')
    expect(res.body).not.toMatch(/(^|,)=HYPERLINK/m)
  })

  it('follows Accept-Language or lang', async () => {
    const byHeader = rowsOf((await get('/api/v1/members/export.csv', { 'accept-language': 'en-US,en;q=0.9' })).body)
    expect(byHeader[0]).toEqual(expect.arrayContaining(['Card no.', 'Gender', 'Registration store code', 'Consent: SMS']))
    expect(byHeader.slice(1).flat()).toContain('Male')
    const byQuery = rowsOf((await get('/api/v1/members/export.csv?lang=en-US', { 'accept-language': 'zh-CN' })).body)
    expect(byQuery[0]![1]).toBe('Card no.')
  })

  it('offers the same as an Excel workbook, the text kept as typed (a string cell never runs)', async () => {
    const res = await get('/api/v1/members/export.xlsx')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    const sheet = workbook.worksheets[0]!
    expect(sheet.name).toBe('会员')
    const header = (sheet.getRow(1).values as unknown[]).slice(1)
    expect(header).toContain('会员卡号')
    const values: unknown[][] = []
    sheet.eachRow((r) => values.push((r.values as unknown[]).slice(1)))
    const mine = values.find((r) => r.includes(`${phone.slice(0, 3)}****${phone.slice(-4)}`))!
    expect(mine[header.indexOf('姓名')]).toBe(`=${'*'.repeat([...'=HYPERLINK("http://evil.example","点我")'].length - 1)}`)
    expect(mine[header.indexOf('性别')]).toBe('男')
    sheet.eachRow((r) => r.eachCell((c) => expect(c.type).not.toBe(ExcelJS.ValueType.Formula)))
  })

  it('refuses an unknown language and a store role', async () => {
    expect((await get('/api/v1/members/export.csv?lang=fr-FR')).statusCode).toBe(400)
    const cashier = await t.login(t.users.cashier!.username)
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/members/export.xlsx', headers: { cookie: cashier } })).statusCode).toBe(403)
  })

  it('a database error in the middle of an export ends that response, and the server goes on serving', async () => {
    for (let i = 0; i < 5; i++) await t.given.member()
    const real = t.services.members.exportRows
    // The query of the second page fails, as a database going away mid-export would.
    vi.spyOn(t.services.members, 'exportRows').mockImplementation((actor, filter) => (async function* () {
      let n = 0
      for await (const row of real(actor, filter)) {
        if (++n > 3) throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })
        yield row
      }
    })())
    // A server with a logger, to see the failure written down.
    const lines: string[] = []
    const logger = pino({ level: 'error' }, new Writable({ write: (chunk, _enc, done) => { lines.push(String(chunk)); done() } }))
    const logged = await buildApp({ services: t.services, config: { secureCookies: false, logLevel: 'error' }, logger })
    for (const ext of ['csv', 'xlsx']) {
      const res = await logged.inject({ method: 'GET', url: `/api/v1/members/export.${ext}`, headers: { cookie } }).catch((err: unknown) => err as Error)
      // Either the client sees the response cut short, or the connection dropped: never a whole file.
      if (!(res instanceof Error) && ext === 'csv') expect(rowsOf(res.body).length).toBeLessThanOrEqual(4)
    }
    await logged.close()
    expect(lines.filter((l) => l.includes('member export failed') && l.includes('terminating connection'))).toHaveLength(2)
    vi.restoreAllMocks()
    const lookup = await t.app.inject({ method: 'POST', url: '/api/v1/members/lookup', headers: { cookie }, payload: { phone } })
    expect(lookup.statusCode).toBe(200)
    expect((await get('/api/v1/members/export.csv')).statusCode).toBe(200)
  })

  it('a lookup is answered while a large export runs (the export pages and yields)', async () => {
    await t.services.members.internals.insertMany(t.actors.system, Array.from({ length: 3000 }, () => ({
      value: { phone: nextPhone(), name: '批量会员', gender: 'female' as const }, storeId: t.stores.a, registeredBy: null, channel: 'import' as const,
      registeredAt: null, consents: { sms: true }, consentSource: 'test',
    })))
    const started = performance.now()
    let exportDone = 0
    const exporting = get('/api/v1/members/export.csv').then((res) => { exportDone = performance.now(); return res })
    // Let the export start before the lookup is sent.
    await new Promise((resolve) => setImmediate(resolve))
    const sent = performance.now()
    const lookup = await t.app.inject({ method: 'POST', url: '/api/v1/members/lookup', headers: { cookie }, payload: { phone } })
    const answered = performance.now()
    const res = await exporting
    expect(lookup.statusCode).toBe(200)
    expect(rowsOf(res.body).length).toBeGreaterThan(3000)
    console.info(`member lookup during a ${rowsOf(res.body).length - 1}-row export: ${(answered - sent).toFixed(1)} ms; the export took ${(exportDone - started).toFixed(0)} ms`)
    expect(answered).toBeLessThan(exportDone)
  })
})
