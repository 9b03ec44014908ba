import Fastify, { type FastifyInstance } from 'fastify'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerConsoleAndNotFound } from './console.js'

const webDir = new URL('../../web/', import.meta.url)
const script = `console.log(${JSON.stringify('Patron '.repeat(400))})\n`
let dir: string
let app: FastifyInstance

// A console as `vite build` leaves it: hashed assets with .br and .gz beside them, and the
// files of web/public (the icon) at the top.
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'patron-console-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), readFileSync(new URL('index.html', webDir)))
  mkdirSync(join(dir, 'm'))
  writeFileSync(join(dir, 'm', 'index.html'), readFileSync(new URL('m/index.html', webDir)))
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), script)
  writeFileSync(join(dir, 'assets', 'index-abc123.js.br'), brotliCompressSync(script))
  writeFileSync(join(dir, 'assets', 'index-abc123.js.gz'), gzipSync(script))
  copyFileSync(new URL('public/favicon.ico', webDir), join(dir, 'favicon.ico'))
  app = Fastify()
  await registerConsoleAndNotFound(app, dir)
})
afterAll(async () => {
  await app.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the console files', () => {
  const get = (url: string, acceptEncoding?: string) => app.inject({ method: 'GET', url, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} })

  it('sends JavaScript precompressed with brotli to a browser that takes it', async () => {
    const res = await get('/assets/index-abc123.js', 'gzip, deflate, br')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-encoding']).toBe('br')
    expect(res.headers['content-type']).toMatch(/javascript/)
    expect(res.rawPayload.length).toBeLessThan(script.length / 10)
    expect(brotliDecompressSync(res.rawPayload).toString()).toBe(script)
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable')
  })

  it('sends gzip to a client without brotli, and the plain file to one taking neither', async () => {
    const gz = await get('/assets/index-abc123.js', 'gzip')
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.rawPayload).toString()).toBe(script)
    const plain = await get('/assets/index-abc123.js')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body).toBe(script)
  })

  it('serves /favicon.ico, a real icon, not cached forever', async () => {
    const res = await get('/favicon.ico')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/icon/)
    // ICO header: reserved 0, type 1 (icon), at least one image.
    expect([...res.rawPayload.subarray(0, 4)]).toEqual([0, 0, 1, 0])
    expect(res.rawPayload.readUInt16LE(4)).toBeGreaterThan(0)
    expect(res.headers['cache-control']).toBe('no-cache')
  })

  it('names the icon and sets the body margin to 0 in the page', async () => {
    const res = await get('/members/mem_1')
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('<link rel="icon" href="/favicon.ico"')
    expect(res.body).toMatch(/body[^{]*\{[^}]*margin: 0/)
  })

  it("serves the member's page (its own index.html) under /m/, and the console's elsewhere", async () => {
    for (const url of ['/m', '/m/', '/m/register?store=SH001&clerk=cashier.sh001', '/m/coupons']) {
      const res = await get(url)
      expect(res.statusCode, url).toBe(200)
      expect(res.body, url).toContain('<title>会员中心</title>')
      expect(res.headers['cache-control'], url).toBe('no-cache')
    }
    expect((await get('/members/mem_1')).body).toContain('<title>Patron</title>')
    expect((await get('/mobile')).body).toContain('<title>Patron</title>')
    expect((await get('/api/v1/me/nothing')).statusCode).toBe(404)
  })
})
