import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import { existsSync } from 'node:fs'
import { join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { errorBody } from './errors.js'

/** Where `vite build` puts the console (dist/web), from src/http and dist/http alike. */
export const consoleDir = fileURLToPath(new URL('../../dist/web', import.meta.url))

/**
 * Serves the built console at `/`, and its index.html for any other page path so the
 * console's router handles deep links; the member's page's index.html for paths under /m/. Unknown API paths get the JSON 404.
 */
export const registerConsoleAndNotFound = async (app: FastifyInstance, dir = consoleDir) => {
  const hasConsole = existsSync(`${dir}/index.html`)
  const hasMemberPage = existsSync(join(dir, 'm', 'index.html'))
  if (hasConsole) {
    await app.register(fastifyStatic, {
      root: dir, prefix: '/', index: ['index.html'],
      // The build writes app.js.br and app.js.gz beside app.js (web/vite.config.ts): the one the
      // browser accepts is sent as it is, with Content-Encoding, never compressed per request.
      preCompressed: true,
      cacheControl: false,
      // Files are looked up per request (wildcard), so a rebuilt console is served without a restart.
      // Built assets have hashed names and never change; index.html and the icon must be fetched anew after a deploy.
      setHeaders: (res, path) => { res.setHeader('cache-control', path.startsWith(join(dir, 'assets', sep)) ? 'public, max-age=31536000, immutable' : 'no-cache') },
    })
  }
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!
    const isPage = req.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/docs') && !/\.[a-z0-9]+$/i.test(path)
    // The member's page (/m/…) is its own small app with its own index.html.
    if (hasMemberPage && isPage && (path === '/m' || path.startsWith('/m/'))) {
      return reply.header('cache-control', 'no-cache').sendFile('m/index.html')
    }
    if (hasConsole && isPage) return reply.header('cache-control', 'no-cache').sendFile('index.html')
    return reply.code(404).send(errorBody('ROUTE_NOT_FOUND', `no route ${req.method} ${path}`))
  })
}
