import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../test/context.js'
import { createServices } from '../services.js'
import { Keyring } from '../shared/pii.js'
import { BackupError, backupDatabase, listBackups, readBackup, restoreBackup, type BackupManifest } from './backup.js'
import { openDatabase } from './database.js'
import { checkDataKey } from './key-check.js'
import { migrations } from './migrations/index.js'

const dir = mkdtempSync(join(tmpdir(), 'patron-backup-'))
// A file on SQLite: the backup copies it on a connection of its own while this one goes on selling.
const context = useTestContext({ sqliteFile: join(dir, 'source.db') })
let t: TestContext
const created: string[] = []
const admin = process.env.PATRON_TEST_DATABASE_URL

/** An empty restore target: a new SQLite file, or a new PostgreSQL database without tables. */
const emptyTarget = async (name: string): Promise<string> => {
  if (!admin) return `sqlite:${join(dir, `${name}.db`)}`
  const db = `patron_restore_${process.pid}_${name}`
  const c = new pg.Client({ connectionString: admin })
  await c.connect()
  try {
    await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)
    await c.query(`CREATE DATABASE ${db}`)
  } finally {
    await c.end()
  }
  created.push(db)
  const u = new URL(admin)
  u.pathname = `/${db}`
  return u.toString()
}

beforeAll(async () => {
  t = await context()
  await checkDataKey(t.services.db, t.keyring)
})
afterAll(async () => {
  if (!admin || created.length === 0) return
  const c = new pg.Client({ connectionString: admin })
  await c.connect()
  try {
    for (const db of created) await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)
  } finally {
    await c.end()
  }
})

const backup = (name: string) => backupDatabase({ database: t.services.database, to: dir, now: t.clock.now(), patronVersion: '0.1.0-test', name })
const known = Object.keys(migrations)

describe('backup and restore', () => {
  let made: { dir: string; manifest: BackupManifest }
  const before: string[] = []
  let memberId = ''

  it('backs up while receipts are being posted: every receipt committed before it is in the restored copy, the books verify and the PII decrypts', async () => {
    const member = await t.given.member({ phone: '13922220001', name: '备份测试' })
    memberId = member.id
    for (let i = 0; i < 5; i++) before.push((await t.given.receipt({ member: { id: member.id }, lines: [['SKU-B', 1, 1000 + i]] })).receiptNo)
    // Tills go on selling during the backup.
    let selling = true
    const during = (async () => {
      const nos: string[] = []
      while (selling && nos.length < 40) nos.push((await t.given.receipt({ member: { id: member.id }, lines: [['SKU-B', 2, 500]] })).receiptNo)
      return nos
    })()
    made = await backup('patron-backup-while-selling')
    selling = false
    const sold = await during
    expect(sold.length).toBeGreaterThan(0)

    expect(made.manifest).toMatchObject({ format: 'patron-backup', engine: t.services.engine, patronVersion: '0.1.0-test', migration: known.sort().at(-1) })
    expect(made.manifest.rows.receipts).toBeGreaterThanOrEqual(5)
    expect(made.manifest.rows.members).toBeGreaterThan(0)
    expect(made.manifest.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/)
    // The key is not in the backup.
    const keyB64 = Object.values(t.keyFile.keys)[0]!
    for (const f of [...made.manifest.files.map((x) => x.name), 'manifest.json']) expect(readFileSync(join(made.dir, f)).includes(Buffer.from(keyB64))).toBe(false)
    expect(listBackups(dir).map((b) => b.name)).toEqual(['patron-backup-while-selling'])

    const to = await emptyTarget('first')
    const { rows } = await restoreBackup({ from: made.dir, to, keyring: t.keyring, knownMigrations: known })
    expect(rows).toEqual(made.manifest.rows)
    const restored = openDatabase(to)
    try {
      const services = createServices({ database: restored, keyring: t.keyring, clock: t.clock, timezone: 'Asia/Shanghai', dataDir: join(dir, 'data') })
      expect(await checkDataKey(restored.db, t.keyring)).toBe('ok')
      const nos = new Set((await restored.db.selectFrom('receipts').select('receipt_no').execute()).map((r) => r.receipt_no))
      for (const no of before) expect(nos.has(no), no).toBe(true)
      expect(nos.size).toBe(made.manifest.rows.receipts)
      expect(await services.loyalty.verify()).toEqual([])
      expect(await services.verifyRewards()).toEqual([])
      expect(await services.members.reveal(t.actors.hq_admin, memberId)).toMatchObject({ phone: '13922220001', name: '备份测试' })
      expect((await services.members.lookup(t.actors.cashier, { phone: '13922220001' })).id).toBe(memberId)
      await services.events.drain()
    } finally {
      await restored.destroy()
    }
  })

  it('refuses a folder that exists, a target that is not empty, a wrong key and a damaged copy, and writes nothing', async () => {
    await expect(backup('patron-backup-while-selling')).rejects.toMatchObject({ code: 'BACKUP_TARGET_EXISTS' })
    // Not empty: the source itself, or a target restored once.
    const to = await emptyTarget('second')
    await restoreBackup({ from: made.dir, to, keyring: t.keyring, knownMigrations: known })
    await expect(restoreBackup({ from: made.dir, to, keyring: t.keyring, knownMigrations: known })).rejects.toMatchObject({ code: 'RESTORE_TARGET_NOT_EMPTY' })
    if (admin) await expect(restoreBackup({ from: made.dir, to: t.db.url, keyring: t.keyring, knownMigrations: known })).rejects.toMatchObject({ code: 'RESTORE_TARGET_NOT_EMPTY' })

    const untouched = await emptyTarget('untouched')
    await expect(restoreBackup({ from: made.dir, to: untouched, keyring: new Keyring(Keyring.generate()), knownMigrations: known })).rejects.toMatchObject({ code: 'BACKUP_WRONG_KEY' })
    const damaged = join(dir, 'damaged')
    cpSync(made.dir, damaged, { recursive: true })
    const file = join(damaged, made.manifest.files[0]!.name)
    const bytes = readFileSync(file)
    const at = Math.floor(bytes.length / 2)
    bytes[at] = bytes[at]! ^ 0xff
    writeFileSync(file, bytes)
    await expect(readBackup(damaged)).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' })
    await expect(restoreBackup({ from: damaged, to: untouched, keyring: t.keyring, knownMigrations: known })).rejects.toBeInstanceOf(BackupError)
    writeFileSync(join(damaged, 'manifest.json'), '{"format":')
    await expect(readBackup(damaged)).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' })
    await expect(readBackup(join(dir, 'nowhere'))).rejects.toMatchObject({ code: 'BACKUP_NOT_FOUND' })
    await expect(restoreBackup({ from: made.dir, to: untouched, keyring: t.keyring, knownMigrations: known.slice(0, 3) })).rejects.toMatchObject({ code: 'BACKUP_TOO_NEW' })
    // Nothing was written to the untouched target by the refusals.
    if (!admin) expect(() => readFileSync(untouched.slice('sqlite:'.length))).toThrow()
    else {
      const c = new pg.Client({ connectionString: untouched })
      await c.connect()
      try {
        expect(Number((await c.query<{ n: string }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'")).rows[0]!.n)).toBe(0)
      } finally {
        await c.end()
      }
    }
  })
})
