import type { AuditTables } from '../modules/audit/audit.table.js'
import type { AuthTables } from '../modules/auth/auth.table.js'
import type { MembersTables } from '../modules/members/members.table.js'
import type { OrgTables } from '../modules/org/org.table.js'

export interface MetaTable {
  key: string
  value: string
}

export interface DB extends OrgTables, AuthTables, AuditTables, MembersTables {
  meta: MetaTable
}
