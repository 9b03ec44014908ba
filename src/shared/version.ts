import { readFileSync } from 'node:fs'

/** Patron's version (package.json's): from src/shared or dist/shared, the file is two folders up. */
export const patronVersion = (): string => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}
