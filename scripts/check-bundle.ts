// Fails when the console's first page load (index.html's scripts and their static imports)
// transfers more than 1 MB of gzipped JavaScript. Lazy routes and charts are not counted.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const dir = 'dist/web'
const LIMIT = 1024 * 1024
const html = readFileSync(join(dir, 'index.html'), 'utf8')
const entries = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!)
const seen = new Set<string>()
const visit = (file: string) => {
  if (seen.has(file)) return
  seen.add(file)
  const code = readFileSync(join(dir, file), 'utf8')
  // Static imports only (`import … from "./x.js"` / `import "./x.js"`); import() stays lazy.
  for (const m of code.matchAll(/(?:^|[;\s}])import\s*(?:[^"'()]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) visit(join('assets', m[1]!))
}
entries.forEach(visit)
let total = 0
for (const file of seen) total += gzipSync(readFileSync(join(dir, file))).length
console.log(`console first load: ${seen.size} script(s), ${(total / 1024).toFixed(0)} KiB gzipped (limit ${LIMIT / 1024} KiB)`)
if (total > LIMIT) process.exit(1)
