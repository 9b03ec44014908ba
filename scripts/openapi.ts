// Writes the server's OpenAPI document (web/src/api/openapi.json) without a database or a
// listening port, so `npm run api:types` can generate the console's API types from it.
import { mkdirSync, writeFileSync } from 'node:fs'
import { buildApp } from '../src/http/app.js'
import { openDatabase } from '../src/db/database.js'
import { createServices } from '../src/services.js'
import { systemClock } from '../src/shared/clock.js'
import { Keyring } from '../src/shared/pii.js'

const database = openDatabase('sqlite::memory:')
const services = createServices({ database, keyring: new Keyring(Keyring.generate()), clock: systemClock, timezone: 'Asia/Shanghai', dataDir: '/tmp' })
const app = await buildApp({ services, config: { secureCookies: false, logLevel: 'silent' }, logger: false })
await app.ready()
mkdirSync('web/src/api', { recursive: true })
writeFileSync('web/src/api/openapi.json', JSON.stringify(app.swagger(), null, 2) + '\n')
await app.close()
await database.destroy()
