import { describe, expect, it } from 'vitest'
import { isMappable, mappingIssues, mappingText, parseCsv, readPreview, suggestField, suggestMapping } from './csv.js'

const FIELDS = [
  'phone', 'name', 'gender', 'birthday', 'idNumber', 'email', 'occupation', 'education', 'incomeBand', 'district', 'address',
  'externalCode', 'storeCode', 'registeredAt', 'consent.sms', 'consent.email', 'consent.wechat', 'consent.app_push', 'consent.phone_call',
]

describe('parseCsv', () => {
  it('splits quoted fields with commas, quotes and line breaks', () => {
    expect(parseCsv('a,b,c\r\n"x, y","say ""hi""","two\nlines"\n\n1,,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
      ['1', '', '3'],
    ])
  })

  it('keeps a last line without a line break and stops at maxRecords', () => {
    expect(parseCsv('h\n1\n2\n3', 2)).toEqual([['h'], ['1']])
    expect(parseCsv('h\n1')).toEqual([['h'], ['1']])
  })
})

describe('readPreview', () => {
  const file = (parts: BlobPart[], name = 'members.csv') => Object.assign(new Blob(parts), { name })

  it('reads the header (BOM removed, names trimmed) and rows', async () => {
    const preview = await readPreview(file(['\uFEFF手机号, 姓名 \n13800138000,张三\n']))
    expect(preview).toEqual({ header: ['手机号', '姓名'], rows: [['13800138000', '张三']], truncated: false })
  })

  it('refuses a file that is not UTF-8 (an Excel GBK export)', async () => {
    await expect(readPreview(file([new Uint8Array([0xca, 0xd6, 0xbb, 0xfa, 0x0a])]))).rejects.toMatchObject({ problem: 'notUtf8' })
  })

  it('reads a gzip file', async () => {
    const gz = new Blob([new TextEncoder().encode('phone,name\n13800138000,Li\n')]).stream().pipeThrough(new CompressionStream('gzip'))
    const bytes = new Uint8Array(await new Response(gz).arrayBuffer())
    const preview = await readPreview(file([bytes], 'm.csv.gz'))
    expect(preview.header).toEqual(['phone', 'name'])
    expect(preview.rows).toEqual([['13800138000', 'Li']])
  })
})

describe('suggestions', () => {
  it('matches common Chinese and English headers', () => {
    const cases: Record<string, string | undefined> = {
      '手机号': 'phone', '手机号码': 'phone', '联系电话': 'phone', Mobile: 'phone', phone: 'phone', '姓名': 'name', Name: 'name',
      '性别': 'gender', '生日': 'birthday', '出生日期': 'birthday', '身份证号': 'idNumber', '邮箱': 'email', 'E-mail': 'email',
      '会员编号': 'externalCode', '卡号': 'externalCode', external_code: 'externalCode', '门店': 'storeCode', '门店编码': 'storeCode',
      '注册时间': 'registeredAt', '短信': 'consent.sms', '是否接收短信': 'consent.sms', '门店名称': undefined, '备注': undefined,
    }
    for (const [header, field] of Object.entries(cases)) expect([header, suggestField(header, FIELDS)]).toEqual([header, field])
  })

  it('suggests each field once', () => {
    expect(suggestMapping(['手机', '电话', '姓名'], FIELDS)).toEqual({ '手机': 'phone', '电话': undefined, '姓名': 'name' })
  })
})

describe('mapping', () => {
  it('needs phone or externalCode, each field once', () => {
    expect(mappingIssues({ a: '', b: undefined })).toEqual([{ kind: 'noneMapped' }])
    expect(mappingIssues({ a: 'name' })).toEqual([{ kind: 'needKey' }])
    expect(mappingIssues({ a: 'phone', b: 'phone' })).toEqual([{ kind: 'duplicate', field: 'phone' }])
    expect(mappingIssues({ a: 'externalCode', b: 'name' })).toEqual([])
  })

  it('writes the multipart mapping text for mapped columns', () => {
    expect(mappingText({ '手机号': 'phone', '备注': '', '姓名': 'name', 'a,b': 'email' })).toBe('手机号=phone,姓名=name')
    expect(isMappable(' ')).toBe(false)
  })
})
