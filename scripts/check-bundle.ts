// Fails when a page's first load (its index.html's scripts and their static imports) transfers
// more gzipped JavaScript than its budget: the staff console 1 MB, the member's page (/m/, opened
// on cheap phones over mobile data) 150 KB. Lazy routes and charts are not counted.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const dir = 'dist/web'
const pages = [
  { name: 'console', html: 'index.html', limit: 1024 * 1024 },
  { name: 'member page', html: 'm/index.html', limit: 150 * 1024 },
]

let failed = false
for (const page of pages) {
  const html = readFileSync(join(dir, page.html), 'utf8')
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
  if (seen.size === 0) {
    console.log(`${page.name}: no script found in ${page.html}`)
    failed = true
    continue
  }
  let total = 0
  for (const file of seen) total += gzipSync(readFileSync(join(dir, file))).length
  console.log(`${page.name} first load: ${seen.size} script(s), ${(total / 1024).toFixed(0)} KiB gzipped (limit ${page.limit / 1024} KiB)`)
  if (total > page.limit) failed = true
}
if (failed) process.exit(1)
