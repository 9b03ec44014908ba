import { monotonicFactory } from 'ulidx'
import { randomFloat } from './random.js'

const ulid = monotonicFactory(randomFloat)

export type IdPrefix = 'mem' | 'sto' | 'reg' | 'usr' | 'ses' | 'key' | 'aud' | 'imp' | 'evt' | 'prd' | 'rct' | 'pte' | 'lot' | 'rul' | 'tch' | 'rim'
  | 'ctp' | 'cpn' | 'cis' | 'gft' | 'gor' | 'rbp' | 'drw' | 'dpz' | 'den'

/** Prefixed, time-ordered ids (`mem_01j…`), so ids sort by creation and tell what they name. */
export const newId = (prefix: IdPrefix): string => `${prefix}_${ulid().toLowerCase()}`
