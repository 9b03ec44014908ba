import type { Actor } from '../../shared/actor.js'
import { assertCan } from '../../shared/actor.js'
import { unprocessable } from '../../shared/errors.js'
import type { ReceiptContext } from './receipt-context.js'
import * as repo from './receipts.repository.js'
import { checkTillSettings, DEFAULT_TILL_SETTINGS, type TillSettings } from './till-settings.js'

/** The chain's till settings: the scale label layout and the desk returns' approval limit. */
export const createTillSettings = ({ db, audit }: Pick<ReceiptContext, 'db' | 'audit'>) => {
  const read = async (): Promise<TillSettings> => {
    const value = await repo.findTillSettingsValue(db)
    if (value === undefined) return { ...DEFAULT_TILL_SETTINGS }
    return { ...DEFAULT_TILL_SETTINGS, ...(JSON.parse(value) as Partial<TillSettings>) }
  }

  /** Every store's staff read them (the till reads scale labels by them). */
  const getTillSettings = async (actor: Actor): Promise<TillSettings> => {
    assertCan(actor, 'receipts.read')
    return read()
  }

  const updateTillSettings = async (actor: Actor, input: Partial<TillSettings>): Promise<TillSettings> => {
    assertCan(actor, 'chain.manage')
    const details = checkTillSettings(input)
    if (details.length) throw unprocessable('VALIDATION', details)
    const before = await read()
    const next: TillSettings = {
      scaleLayout: input.scaleLayout ?? before.scaleLayout,
      returnApprovalAbove: input.returnApprovalAbove !== undefined ? input.returnApprovalAbove : before.returnApprovalAbove,
    }
    await db.transaction().execute(async (trx) => {
      await repo.saveTillSettingsValue(trx, JSON.stringify(next))
      const changes = Object.fromEntries((Object.keys(next) as Array<keyof TillSettings>).filter((k) => next[k] !== before[k]).map((k) => [k, { from: before[k], to: next[k] }]))
      await audit?.record(trx, actor, { action: 'till_settings.update', entityType: 'till_settings', changes })
    })
    return next
  }

  return { read, getTillSettings, updateTillSettings }
}
