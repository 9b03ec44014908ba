import type { Migration } from 'kysely'
import * as createFoundation from './2026_11_23_2330_create_foundation.js'

// Every migration, by name; names sort in the order they apply. Add new ones at the end.
export const migrations: Record<string, Migration> = {
  '2026_11_23_2330_create_foundation': createFoundation,
}
