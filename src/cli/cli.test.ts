import { execFile } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
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

  it('refuses to start with a bad setting, naming it', async () => {
    const bad = await run(tsx, ['src/cli/main.ts', 'migrate'], { env: { ...env, PORT: 'eighty' }, encoding: 'utf8' }).catch((e: { code: number; stderr: string }) => e)
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('PORT: expected a port number') })
  }, 30_000)
})
