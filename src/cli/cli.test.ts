import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../test/db.js'

const run = promisify(execFile)
const tsx = join(process.cwd(), 'node_modules/.bin/tsx')

// The CLI as a user runs it, against the engine under test.
describe('patron CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'patron-cli-'))
  let tdb: TestDatabase
  let env: NodeJS.ProcessEnv
  beforeAll(async () => {
    tdb = await createTestDatabase({ sqliteFile: join(dir, 'patron.db') })
    env = { ...process.env, PATRON_DATA_DIR: dir, DATABASE_URL: tdb.url, PATRON_KEY_FILE: join(dir, 'patron.key') }
  })
  afterAll(async () => tdb.drop())
  const patron = (...args: string[]) => run(tsx, ['src/cli/main.ts', ...args], { env, encoding: 'utf8' })

  it('migrates, adds a staff user with a generated password, and refuses a bad role or store with a reason', async () => {
    expect((await patron('migrate')).stdout).toContain('Database is up to date')
    const added = await patron('user', 'add', '--username', 'ops.lead', '--role', 'hq_admin', '--name', '运营')
    expect(added.stdout).toMatch(/Created hq_admin ops\.lead\.\nPassword: \S{12,}/)
    const badRole = await patron('user', 'add', '--username', 'x1', '--role', 'boss').catch((e: { code: number; stderr: string }) => e)
    expect(badRole).toMatchObject({ code: 1, stderr: expect.stringContaining('must be one of hq_admin') })
    const badStore = await patron('user', 'add', '--username', 'x2', '--role', 'cashier', '--store', 'NOPE').catch((e: { code: number; stderr: string }) => e)
    expect(badStore).toMatchObject({ code: 2, stderr: expect.stringContaining('no store with code NOPE') })
    const taken = await patron('user', 'add', '--username', 'ops.lead', '--role', 'analyst').catch((e: { code: number; stderr: string }) => e)
    expect(taken).toMatchObject({ code: 2, stderr: expect.stringContaining('already taken') })
  }, 60_000)

  it('rotates the data key, re-encrypting what it encrypts, then retires the old key and still starts', async () => {
    const csv = join(dir, 'two.csv')
    writeFileSync(csv, '手机,姓名\n13900001111,甲\n13900002222,乙\n')
    await patron('members', 'import', csv, '--map', '手机=phone,姓名=name')
    const oldKey = JSON.parse(readFileSync(join(dir, 'patron.key'), 'utf8')).activeKeyId as string
    expect((await patron('keys', 'status')).stdout).toMatch(new RegExp(`${oldKey}\\s+active\\s+4 values`))
    expect((await patron('keys', 'rotate')).stdout).toContain('4 values now under')
    const rotated = JSON.parse(readFileSync(join(dir, 'patron.key'), 'utf8'))
    expect(Object.keys(rotated.keys)).toHaveLength(2)
    expect((await patron('keys', 'retire')).stdout).toContain(`Retired ${oldKey}`)
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'patron.key'), 'utf8')).keys)).toEqual([rotated.activeKeyId])
    expect((statSync(join(dir, 'patron.key')).mode & 0o777).toString(8)).toBe('600')
    expect((await patron('migrate')).stdout).toContain('Database is up to date')
  }, 90_000)

  it('runs a daily job once a day through the queue, and a worker runs what is due', async () => {
    expect((await patron('jobs', 'run', 'coupons.expire')).stdout).toMatch(/coupons\.expire: done \{"expired":\d+/)
    expect((await patron('jobs', 'run', 'coupons.expire')).stdout).toContain('coupons.expire: skipped')
    expect((await patron('worker', '--once')).stderr).toMatch(/worker: \d+ job\(s\) done, 0 failed/)
  }, 90_000)

  it('refuses to start with a bad setting, naming it', async () => {
    const bad = await run(tsx, ['src/cli/main.ts', 'migrate'], { env: { ...env, PORT: 'eighty' }, encoding: 'utf8' }).catch((e: { code: number; stderr: string }) => e)
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('PORT: expected a port number') })
  }, 30_000)
  it('backs up, lists the backups, restores into a new target and verifies; refuses an existing folder and a target in use', async () => {
    const backups = join(dir, 'backups')
    const made = await patron('backup', '--to', backups)
    expect(made.stdout).toMatch(/backup: .*patron-backup-\S+ \((sqlite|postgres), /)
    expect(made.stdout).toContain('The data key is not in the backup')
    const name = /patron-backup-\S+(?= \()/.exec(made.stdout)![0]
    expect((await patron('backups', '--in', backups)).stdout).toContain(name)
    // The default target is DATABASE_URL: in use, so refused with the reason and exit 2.
    const busy = await patron('restore', join(backups, name)).catch((e: { code: number; stderr: string }) => e)
    expect(busy).toMatchObject({ code: 2, stderr: expect.stringContaining('RESTORE_TARGET_NOT_EMPTY') })
    if (tdb.url.startsWith('sqlite:')) {
      const restored = await patron('restore', join(backups, name), '--to', join(dir, 'restored.db'))
      expect(restored.stdout).toContain('every count as in the manifest')
      expect(restored.stdout).toContain('verify passed')
    }
    const missing = await patron('restore', join(dir, 'nowhere')).catch((e: { code: number; stderr: string }) => e)
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('not a Patron backup folder') })
    // Without the key file the backup cannot be read back: refused, naming the file, before anything is written.
    const target = join(dir, 'keyless.db')
    const keyless = await run(tsx, ['src/cli/main.ts', 'restore', join(backups, name), '--to', target], { env: { ...env, PATRON_KEY_FILE: join(dir, 'no.key') }, encoding: 'utf8' })
      .catch((e: { code: number; stderr: string }) => e)
    expect(keyless).toMatchObject({ code: 2, stderr: expect.stringContaining(`the key file ${join(dir, 'no.key')} (PATRON_KEY_FILE) is missing`) })
    expect(existsSync(target)).toBe(false)
  }, 120_000)
})
