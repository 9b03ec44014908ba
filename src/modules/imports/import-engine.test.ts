import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestContext, type TestContext } from '../../../test/context.js'
import type { Actor } from '../../shared/actor.js'
import { createImportEngine, type ImportKind, type RowProblem } from './index.js'

const context = useTestContext()
let t: TestContext
beforeAll(async () => {
  t = await context()
})

// A kind as a later one (tags) would join: its fields, a pure row validator and a batch writer.
interface TagSettings { column: string }
interface TagCounts { read: number; tagged: number; refused: number }
const written: string[] = []
const tagKind: ImportKind<TagSettings, TagCounts, { line: number; tag: string }> = {
  name: 'test_tags', idPrefix: 'imp', permission: 'members.import', audit: null,
  sealField: 'import_errors.value', errorOrder: 'line-column-reason', interruptedMessage: 'interrupted: test',
  emptyCounts: () => ({ read: 0, tagged: 0, refused: 0 }),
  requiredColumns: (s) => [s.column],
  check: async () => ({ storeId: null }),
  open: async (_actor, s) => {
    const counts = { read: 0, tagged: 0, refused: 0 }
    return {
      counts,
      read: () => { counts.read++ },
      validate: (record, line) => {
        const tag = (record[s.column] ?? '').trim()
        return /^[a-z]{1,8}$/.test(tag) ? { row: { line, tag }, problems: [] } : { problems: [{ line, column: s.column, value: tag, reason: 'not a tag' }] }
      },
      refused: () => { counts.refused++ },
      write: async (rows) => {
        written.push(...rows.map((r) => r.tag))
        counts.tagged += rows.length
        return []
      },
      finish: async () => [],
    }
  },
  // A value starting with "secret" is personal data: masked for anyone but the uploader.
  mask: (e) => (e.value.startsWith('secret') ? '******' : null),
}

const engineOf = (limits = {}) =>
  createImportEngine({ db: t.services.db, clock: t.clock, keyring: t.services.keyring, dataDir: mkdtempSync(join(tmpdir(), 'patron-imp-')), limits }, tagKind)
const file = (text: string) => Readable.from([Buffer.from(text)])

describe('the import engine', () => {
  it('reads a file through the kind, records the run, and pages its problems in file order', async () => {
    const engine = engineOf()
    const bad = Array.from({ length: 7 }, (_, i) => `BAD${i}`)
    const csv = `tag\nfruit\n${bad.join('\n')}\nveg\n`
    const { id, counts } = await engine.runRecorded(t.actors.hq_admin, { source: file(csv), settings: { column: 'tag' }, sourceName: 'tags.csv', totalBytes: csv.length, batchSize: 2 })
    expect(counts).toEqual({ read: 9, tagged: 2, refused: 7 })
    expect(await engine.get(t.actors.hq_admin, id)).toMatchObject({ kind: 'test_tags', status: 'completed', counts, processedBytes: csv.length, sourceName: 'tags.csv', settings: { column: 'tag' } })
    const first = await engine.errors(t.actors.hq_admin, id, { limit: 3 })
    expect(first.items.map((e) => e.line)).toEqual([3, 4, 5])
    const second = await engine.errors(t.actors.hq_admin, id, { limit: 3, cursor: first.nextCursor! })
    const third = await engine.errors(t.actors.hq_admin, id, { limit: 3, cursor: second.nextCursor! })
    expect([...second.items, ...third.items].map((e) => e.line)).toEqual([6, 7, 8, 9])
    expect(third.nextCursor).toBeNull()
    const all: RowProblem[] = []
    for await (const page of engine.allErrors(t.actors.hq_admin, id)) all.push(...page)
    expect(all).toHaveLength(7)
    expect((await engine.errorCounts([id])).get(id)).toBe(7)
    await expect(engine.errors(t.actors.hq_admin, id, { cursor: 'x' })).rejects.toMatchObject({ code: 'VALIDATION' })
    // Another kind's engine does not find it.
    await expect(engineOf().get(t.actors.hq_admin, 'imp_nope')).rejects.toMatchObject({ status: 404, code: 'IMPORT_NOT_FOUND' })
  })

  it('shows the uploader a masked value as it was in the file, anyone else masked', async () => {
    const engine = engineOf()
    const csv = 'tag\nsecret-13700000001\n'
    const { id } = await engine.runRecorded(t.actors.hq_admin, { source: file(csv), settings: { column: 'tag' }, sourceName: 's.csv', totalBytes: csv.length, batchSize: 10 })
    expect((await engine.errors(t.actors.hq_admin, id)).items).toEqual([{ line: 2, column: 'tag', value: 'secret-13700000001', reason: 'not a tag' }])
    const other = { ...t.actors.hq_admin, userId: 'usr_someone_else' } as Actor
    expect((await engine.errors(other, id)).items[0]).toMatchObject({ value: '******' })
  })

  it('stops a cancelled run after the batch in hand, keeps its counts, and refuses a second cancel', async () => {
    const engine = engineOf()
    const lines = Array.from({ length: 2000 }, () => 'tag').join('\n')
    const csv = `tag\n${lines}\n`
    let id = ''
    let batches = 0
    const source = Readable.from((async function* () {
      for (let i = 0; i < csv.length; i += 512) yield Buffer.from(csv.slice(i, i + 512))
    })())
    id = await engine.create(t.actors.hq_admin, { settings: { column: 'tag' }, sourceName: 'long.csv', totalBytes: csv.length })
    const run = engine.runRecorded(t.actors.hq_admin, {
      id, source, settings: { column: 'tag' }, sourceName: 'long.csv', totalBytes: csv.length, batchSize: 100,
      onProgress: () => {
        if (++batches === 3) void engine.cancel(t.actors.hq_admin, id)
      },
    })
    const { counts } = await run
    const done = await engine.get(t.actors.hq_admin, id)
    expect(done).toMatchObject({ status: 'cancelled', errorCode: 'IMPORT_CANCELLED' })
    expect(counts.tagged).toBeGreaterThan(0)
    expect(counts.tagged).toBeLessThan(2000)
    expect(done.counts.tagged).toBe(counts.tagged)
    await expect(engine.cancel(t.actors.hq_admin, id)).rejects.toMatchObject({ status: 409, code: 'IMPORT_NOT_RUNNING' })
    await expect(engine.cancel(t.actors.cashier, id)).rejects.toMatchObject({ status: 403 })
  })

  it('settles a run that shows no heartbeat for ten minutes as interrupted, and a live one not', async () => {
    const engine = engineOf()
    const id = await engine.create(t.actors.hq_admin, { settings: { column: 'tag' }, sourceName: 'dead.csv', totalBytes: 10, uploadFile: 'dead.upload' })
    expect(await engine.uploadsInUse()).toContain('dead.upload')
    t.clock.advance(9 * 60 * 1000)
    expect((await engine.get(t.actors.hq_admin, id)).status).toBe('running')
    t.clock.advance(2 * 60 * 1000)
    expect(await engine.get(t.actors.hq_admin, id)).toMatchObject({ status: 'failed', errorCode: 'IMPORT_INTERRUPTED', errorMessage: 'interrupted: test' })
    expect(await engine.uploadsInUse()).not.toContain('dead.upload')
    expect((await engine.list(t.actors.hq_admin)).map((r) => r.id)).toContain(id)
  })

  it('fails a run over the file bounds with the code the console translates, keeping the batches before it', async () => {
    const engine = engineOf({ maxRows: 5 })
    const csv = `tag\n${Array.from({ length: 8 }, () => 'ok').join('\n')}\n`
    const before = written.length
    let id = ''
    await expect(engine.runRecorded(t.actors.hq_admin, {
      source: Readable.from((async function* () {
        // A line at a time, as a slow upload arrives: the batches before the limit are written.
        for (const l of csv.split(/(?<=\n)/)) {
          yield Buffer.from(l)
          await new Promise((r) => setTimeout(r, 5))
        }
      })()), settings: { column: 'tag' }, sourceName: 'big.csv', totalBytes: csv.length, batchSize: 2,
      onProgress: () => {},
    }).catch(async (e) => {
      id = (await engine.list(t.actors.hq_admin))[0]!.id
      throw e
    })).rejects.toMatchObject({ code: 'IMPORT_TOO_MANY_ROWS' })
    expect(written.length - before).toBe(4)
    expect(await engine.get(t.actors.hq_admin, id)).toMatchObject({ status: 'failed', errorCode: 'IMPORT_TOO_MANY_ROWS', errorMessage: 'line 7: more than 5 rows; split the file' })
    // A file without the kind's columns is refused before a row is read.
    await expect(engine.runFile(t.actors.hq_admin, { column: 'tag' }, { source: file('name\nx\n'), batchSize: 10 })).rejects.toMatchObject({ code: 'IMPORT_COLUMNS_MISSING' })
    await expect(engine.runFile(t.actors.cashier, { column: 'tag' }, { source: file('tag\nx\n'), batchSize: 10 })).rejects.toMatchObject({ status: 403 })
  })
})
