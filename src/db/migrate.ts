import { Migrator, type Migration, type MigrationProvider } from 'kysely'
import type { Db } from './database.js'
import { migrations } from './migrations/index.js'

const provider: MigrationProvider = { getMigrations: async () => migrations as Record<string, Migration> }

/** Applies every pending migration; throws with the failing migration's name and cause. */
export const migrateToLatest = async (db: Db): Promise<string[]> => {
  const migrator = new Migrator({ db, provider })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error) {
    const cause = error instanceof Error ? error.message : String(error)
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${cause}`)
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
