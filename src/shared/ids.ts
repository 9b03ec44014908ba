import { monotonicFactory } from 'ulidx'

const ulid = monotonicFactory()

export type IdPrefix = 'mem' | 'sto' | 'reg' | 'usr' | 'ses' | 'key' | 'aud' | 'imp' | 'evt'

/** Prefixed, time-ordered ids (`mem_01J…`), so ids sort by creation and tell what they name. */
export const newId = (prefix: IdPrefix): string => `${prefix}_${ulid().toLowerCase()}`
