import { describe, expect, it } from 'vitest'
import { checkFile } from '../scripts/check-queries.js'

const owned = new Map([
  ['members', new Set(['members', 'member_consents'])],
  ['loyalty', new Set(['points_accounts', 'loyalty_settings'])],
  ['rewards', new Set(['coupons'])],
  ['transactions', new Set(['receipts'])],
  ['analytics', new Set(['member_purchase_stats'])],
])

const code = `import { sql } from 'kysely'
export const a = (db: any) => db.selectFrom('members as m').innerJoin('points_accounts as p', 'p.member_id', 'm.id').selectAll()
export const b = (db: any) => db.selectFrom('members').where(sql\`exists (select 1 from coupons c where c.member_id = \${1})\`)
export const c = (db: any) => db.with('recent', (q: any) => q.selectFrom('receipts')).selectFrom('recent').selectAll()
export const d = (db: any) => sql\`update loyalty_settings set value = 1\`.execute(db)
export const e = (db: any) => db.insertInto('member_consents').values({}).execute()
export const f = (db: any) => sql.raw('select * from meta')
`
const rules = (file: string, text = code) => checkFile(file, text, owned).map((v) => `${v.line} ${v.rule} ${v.detail}`)

describe('check-queries', () => {
  it('finds query building outside repositories: builders, with, sql templates and sql helpers', () => {
    expect(rules('src/modules/members/members.service.ts')).toEqual([
      '2 query-outside-repository selectFrom(members)',
      '3 query-outside-repository selectFrom(members)',
      '3 query-outside-repository sql`…`',
      '4 query-outside-repository selectFrom(recent)',
      '4 query-outside-repository with(…)',
      '4 query-outside-repository selectFrom(receipts)',
      '5 query-outside-repository sql`…`',
      '6 query-outside-repository insertInto(member_consents)',
      '7 query-outside-repository sql.raw(…)',
    ])
  })

  it('lets repositories, src/db and tests build queries', () => {
    const own = `import { sql } from 'kysely'\nexport const a = (db: any) => db.selectFrom('members').where(sql\`1 = 1\`).selectAll()\n`
    expect(rules('src/modules/members/members.repository.ts', own)).toEqual([])
    expect(rules('src/db/bulk.ts')).toEqual([])
    expect(rules('src/modules/members/members.service.test.ts')).toEqual([])
    expect(rules('test/context.ts')).toEqual([])
  })

  it('finds the tables of other modules a repository touches: joins, raw SQL, CTE bodies; CTE names and meta pass', () => {
    expect(rules('src/modules/members/members.repository.ts')).toEqual([
      '2 foreign-table innerJoin points_accounts (owned by loyalty)',
      '3 foreign-table sql read coupons (owned by rewards)',
      '4 foreign-table selectFrom receipts (owned by transactions)',
      '5 foreign-table sql write loyalty_settings (owned by loyalty)',
    ])
  })

  it('lets analytics read any table but write only its own', () => {
    expect(rules('src/modules/analytics/member-facts.repository.ts')).toEqual([
      '5 foreign-table sql write loyalty_settings (owned by loyalty)',
      '6 foreign-table insertInto member_consents (owned by members)',
    ])
  })

  it("counts sql only when it is Kysely's", () => {
    const other = `const sql = (s: TemplateStringsArray) => s.join('')\nexport const q = sql\`select 1 from members\`\n`
    expect(rules('src/modules/members/members.service.ts', other)).toEqual([])
  })
})
