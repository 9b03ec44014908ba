import type { TestContext } from './context.js'

/**
 * The database behind the services' back, for the few tests that need a state no service makes:
 * a counter or stock gone wrong for `verify` to find, a job lost in a crash, rows written before
 * a column existed, a member frozen in the middle of another transaction, a tier set without the
 * year of spending that earns it, the append-only audit log under attack. `why` says which, at the
 * call. Everything else builds its data through the services (`t.given`, test/factories.ts).
 */
export const tamper = (t: Pick<TestContext, 'services'>, why: string) => {
  if (!why.trim()) throw new Error('tamper: say why the test writes the table itself')
  return t.services.db
}
