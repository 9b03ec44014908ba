import type { Migration } from 'kysely'
import * as createFoundation from './2026_11_23_2330_create_foundation.js'
import * as createReceiptsAndLoyalty from './2026_11_29_0900_create_receipts_and_loyalty.js'

// Every migration, by name; names sort in the order they apply. Add new ones at the end.
export const migrations: Record<string, Migration> = {
  '2026_11_23_2330_create_foundation': createFoundation,
  '2026_11_29_0900_create_receipts_and_loyalty': createReceiptsAndLoyalty,
}
