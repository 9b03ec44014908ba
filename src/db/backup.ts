import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import pg from 'pg'
import type { Keyring } from '../shared/pii.js'
import { openDatabase, parseDatabaseUrl, type Database, type Db, type Engine } from './database.js'
import { migrateToLatest } from './migrate.js'
import { copySqliteOnline } from './sqlite-copy.js'

// Backups (issue 16 §1): a consistent copy of the whole database beside a manifest that says what
// it holds (Patron's version, the migration level, every table's rows, each file's SHA-256 and
// the key check), and a restore into an empty target that refuses a corrupt copy or a key that
// does not read the data. The data key is never in a backup: keep PATRON_KEY_FILE apart.

const run = promisify(execFile)

export const MANIFEST = 'manifest.json'

export interface BackupManifest {
  format: 'patron-backup'
  version: 1
  patronVersion: string
  engine: Engine
  createdAt: string
  /** the last migration applied: a restore into an older Patron is refused */
  migration: string | null
  /** rows per table, counted in the copy's own snapshot */
  rows: Record<string, number>
  files: Array<{ name: string; bytes: number; sha256: string }>
  /** the database's key check (ciphertext of a constant): a restore proves the given key reads it */
  keyCheck: { value: string; index: string } | null
}

export class BackupError extends Error {
  constructor(readonly code: string, message: string) {
    super(message)
  }
}

const sha256 = (file: string): Promise<string> =>
  new Promise((done, fail) => {
    const hash = createHash('sha256')
    createReadStream(file).on('error', fail).on('data', (c) => hash.update(c)).on('end', () => done(hash.digest('hex')))
  })

const KEY_CHECK = 'patron-key-check'

/** Tables a manifest counts: Patron's own (Kysely's migration tables and temporary ones are left out). */
const tableNames = async (db: Db): Promise<string[]> =>
  (await db.introspection.getTables()).map((t) => t.name).filter((n) => !n.startsWith('kysely_') && !n.startsWith('sqlite_')).sort()

const countRows = async (db: Db, tables: readonly string[]): Promise<Record<string, number>> => {
  const rows: Record<string, number> = {}
  for (const t of tables) rows[t] = Number((await sql<{ n: number | string }>`select count(*) as n from ${sql.table(t)}`.execute(db)).rows[0]!.n)
  return rows
}

const migrationLevel = async (db: Db): Promise<string | null> => {
  const r = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(db).catch(() => ({ rows: [] as Array<{ name: string }> }))
  return r.rows[0]?.name ?? null
}

const keyCheckOf = async (db: Db): Promise<BackupManifest['keyCheck']> => {
  const rows = await db.selectFrom('meta').selectAll().where('key', 'in', ['key.check', 'key.index_check']).execute()
  const value = rows.find((r) => r.key === 'key.check')?.value
  const index = rows.find((r) => r.key === 'key.index_check')?.value
  return value && index ? { value, index } : null
}

/** Whether the PostgreSQL client tools are on the PATH (pg_dump for a backup, pg_restore to restore one). */
export const hasPgTool = async (tool: 'pg_dump' | 'pg_restore'): Promise<boolean> =>
  run(tool, ['--version']).then(() => true, () => false)

const stamp = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')

/**
 * Backs the database up into a new folder under `to` (patron-backup-<UTC time>), refusing a
 * folder that exists. SQLite: `VACUUM INTO` on a connection of its own in a worker thread (one read
 * transaction while the server runs: writers go on, the copy is as of its start; sqlite-copy.ts),
 * the rows counted in the copy. PostgreSQL: `pg_dump` in
 * custom format from a snapshot exported by a repeatable-read transaction that counts the rows
 * in the same snapshot, so the manifest's counts are the dump's exactly.
 */
export const backupDatabase = async (input: { database: Database; to: string; now: Date; patronVersion: string; name?: string }): Promise<{ dir: string; manifest: BackupManifest }> => {
  const { database } = input
  const { url } = database
  const dir = resolve(input.to, input.name ?? `patron-backup-${stamp(input.now)}`)
  if (existsSync(dir)) throw new BackupError('BACKUP_TARGET_EXISTS', `${dir} exists already: a backup goes into a new folder`)
  const partial = `${dir}.partial`
  rmSync(partial, { recursive: true, force: true })
  mkdirSync(partial, { recursive: true })
  try {
    let rows: Record<string, number>
    let migration: string | null
    let keyCheck: BackupManifest['keyCheck']
    let file: string
    if (database.engine === 'sqlite') {
      file = join(partial, 'patron.db')
      const source = parseDatabaseUrl(url).target
      // A file is copied by a worker on a connection of its own; an in-memory database (tests) only has this one.
      if (source === ':memory:') await sql`VACUUM INTO ${file}`.execute(database.db)
      else await copySqliteOnline(resolve(source), file)
      const copy = openDatabase(`sqlite:${file}`)
      try {
        rows = await countRows(copy.db, await tableNames(copy.db))
        migration = await migrationLevel(copy.db)
        keyCheck = await keyCheckOf(copy.db)
      } finally {
        await copy.destroy()
      }
      // The copy's own connection left it in WAL mode with no log: nothing else to carry.
      for (const extra of ['-wal', '-shm']) rmSync(`${file}${extra}`, { force: true })
    } else {
      if (!(await hasPgTool('pg_dump'))) {
        throw new BackupError('BACKUP_TOOL_MISSING', 'pg_dump is not installed: install the PostgreSQL client tools of the server\'s major version (Debian: apt-get install postgresql-client)')
      }
      file = join(partial, 'patron.dump')
      const client = new pg.Client({ connectionString: parseDatabaseUrl(url).target })
      await client.connect()
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY')
        const snapshot = (await client.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0]!.s
        const tables = await tableNames(database.db)
        rows = {}
        for (const t of tables) rows[t] = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${t.replace(/"/g, '""')}"`)).rows[0]!.n)
        migration = (await client.query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name DESC LIMIT 1')).rows[0]?.name ?? null
        const kc = (await client.query<{ key: string; value: string }>("SELECT key, value FROM meta WHERE key IN ('key.check', 'key.index_check')")).rows
        const value = kc.find((r) => r.key === 'key.check')?.value
        const index = kc.find((r) => r.key === 'key.index_check')?.value
        keyCheck = value && index ? { value, index } : null
        await run('pg_dump', ['--format=custom', `--snapshot=${snapshot}`, '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${parseDatabaseUrl(url).target}`], { maxBuffer: 16 * 1024 * 1024 })
        await client.query('COMMIT')
      } finally {
        await client.end()
      }
    }
    const files = [{ name: basename(file), bytes: statSync(file).size, sha256: await sha256(file) }]
    const manifest: BackupManifest = {
      format: 'patron-backup', version: 1, patronVersion: input.patronVersion, engine: database.engine, createdAt: input.now.toISOString(),
      migration, rows, files, keyCheck,
    }
    writeFileSync(join(partial, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`)
    // Only a finished backup has its final name: a folder without `.partial` is whole.
    renameSync(partial, dir)
    return { dir, manifest }
  } catch (err) {
    rmSync(partial, { recursive: true, force: true })
    throw err
  }
}

/** The manifest of a backup folder, checked: its files are there and their checksums match. */
export const readBackup = async (dir: string): Promise<BackupManifest> => {
  const path = join(dir, MANIFEST)
  if (!existsSync(path)) throw new BackupError('BACKUP_NOT_FOUND', `${dir}: no ${MANIFEST} here (not a Patron backup folder)`)
  let manifest: BackupManifest
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest
  } catch (err) {
    throw new BackupError('BACKUP_CORRUPT', `${path}: not readable JSON (${(err as Error).message})`)
  }
  if (manifest.format !== 'patron-backup' || manifest.version !== 1 || !Array.isArray(manifest.files) || !manifest.rows) {
    throw new BackupError('BACKUP_CORRUPT', `${path}: not a Patron backup manifest (format ${String(manifest.format)}, version ${String(manifest.version)})`)
  }
  for (const f of manifest.files) {
    const file = join(dir, basename(f.name))
    if (!existsSync(file)) throw new BackupError('BACKUP_CORRUPT', `${file}: missing`)
    if (statSync(file).size !== f.bytes || (await sha256(file)) !== f.sha256) {
      throw new BackupError('BACKUP_CORRUPT', `${file}: its checksum does not match the manifest (the file is damaged or was changed)`)
    }
  }
  return manifest
}

/** Refuses a key that does not read the backup's data (before anything is written). */
export const checkBackupKey = (manifest: BackupManifest, keyring: Keyring): void => {
  if (!manifest.keyCheck) return
  let readable: boolean
  try {
    readable = keyring.decrypt('key_check', manifest.keyCheck.value) === KEY_CHECK && keyring.blindIndex('key_check', KEY_CHECK) === manifest.keyCheck.index
  } catch {
    readable = false
  }
  if (!readable) throw new BackupError('BACKUP_WRONG_KEY', 'the key file (PATRON_KEY_FILE) does not read this backup\'s data: give the key file that belonged to the database when it was backed up')
}

/**
 * Restores a backup into an empty target (a SQLite file that does not exist yet, or a PostgreSQL
 * database without tables), then counts every table against the manifest. The caller verifies
 * the books (`patron verify`) with the services on the restored database.
 */
export const restoreBackup = async (input: { from: string; to: string; keyring: Keyring; knownMigrations: readonly string[] }): Promise<{ manifest: BackupManifest; rows: Record<string, number> }> => {
  const manifest = await readBackup(input.from)
  checkBackupKey(manifest, input.keyring)
  const latest = [...input.knownMigrations].sort().at(-1) ?? null
  if (manifest.migration && latest && manifest.migration > latest) {
    throw new BackupError('BACKUP_TOO_NEW', `the backup is of a newer Patron (migration ${manifest.migration}; this one knows up to ${latest}): restore it with Patron ${manifest.patronVersion} or later`)
  }
  const target = parseDatabaseUrl(input.to)
  if (target.engine !== manifest.engine) throw new BackupError('BACKUP_ENGINE_MISMATCH', `the backup is of ${manifest.engine}; the target is ${target.engine}`)
  const file = join(input.from, basename(manifest.files[0]!.name))
  if (target.engine === 'sqlite') {
    if (target.target === ':memory:') throw new BackupError('RESTORE_TARGET_NOT_EMPTY', 'restore into a file, not :memory:')
    const path = resolve(target.target)
    if (existsSync(path) && statSync(path).size > 0) throw new BackupError('RESTORE_TARGET_NOT_EMPTY', `${path} exists: restore into a new file (nothing is overwritten)`)
    mkdirSync(resolve(path, '..'), { recursive: true })
    copyFileSync(file, path)
  } else {
    const client = new pg.Client({ connectionString: target.target })
    await client.connect()
    try {
      const n = Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'")).rows[0]!.n)
      if (n > 0) throw new BackupError('RESTORE_TARGET_NOT_EMPTY', `the target database holds ${n} tables: restore into an empty database (nothing is overwritten)`)
    } finally {
      await client.end()
    }
    if (!(await hasPgTool('pg_restore'))) throw new BackupError('BACKUP_TOOL_MISSING', 'pg_restore is not installed: install the PostgreSQL client tools (Debian: apt-get install postgresql-client)')
    await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${target.target}`, file], { maxBuffer: 16 * 1024 * 1024 })
  }
  const restored = openDatabase(input.to)
  try {
    const rows = await countRows(restored.db, Object.keys(manifest.rows))
    const wrong = Object.keys(manifest.rows).filter((t) => rows[t] !== manifest.rows[t])
    if (wrong.length) throw new BackupError('RESTORE_COUNTS_DIFFER', `after the restore, ${wrong.map((t) => `${t} has ${rows[t]} rows, the manifest ${manifest.rows[t]}`).join('; ')}`)
    // A backup of an older Patron is brought up to this one's schema.
    await migrateToLatest(restored.db)
    return { manifest, rows }
  } finally {
    await restored.destroy()
  }
}

/** Backup folders under `dir`, newest first (finished ones: with a readable manifest; others are not listed, nor removed by retention). */
export const listBackups = (dir: string): Array<{ name: string; dir: string; manifest: BackupManifest }> => {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return []
  const out: Array<{ name: string; dir: string; manifest: BackupManifest }> = []
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory() || !e.name.startsWith('patron-backup-') || e.name.endsWith('.partial')) continue
    try {
      const manifest = JSON.parse(readFileSync(join(dir, e.name, MANIFEST), 'utf8')) as BackupManifest
      if (manifest.format === 'patron-backup' && typeof manifest.createdAt === 'string' && Array.isArray(manifest.files)) out.push({ name: e.name, dir: join(dir, e.name), manifest })
    } catch {
      // no manifest, or not one: not a finished backup
    }
  }
  return out.sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt))
}
