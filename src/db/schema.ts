import type { JobsTables } from '../jobs/jobs.table.js'
import type { AuditTables } from '../modules/audit/audit.table.js'
import type { AuthTables } from '../modules/auth/auth.table.js'
import type { CatalogTables } from '../modules/catalog/catalog.table.js'
import type { LoyaltyTables } from '../modules/loyalty/loyalty.table.js'
import type { MembersTables } from '../modules/members/members.table.js'
import type { OrgTables } from '../modules/org/org.table.js'
import type { ReceiptsTables } from '../modules/transactions/receipts.table.js'

export interface MetaTable {
  key: string
  value: string
}

export interface DB extends OrgTables, AuthTables, AuditTables, MembersTables, CatalogTables, ReceiptsTables, LoyaltyTables, JobsTables {
  meta: MetaTable
}
