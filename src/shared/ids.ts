import { randomBytesPooled } from './random.js'

export type IdPrefix = 'mem' | 'sto' | 'reg' | 'usr' | 'ses' | 'key' | 'aud' | 'imp' | 'evt' | 'prd' | 'rct' | 'pte' | 'lot' | 'rul' | 'tch' | 'rim' | 'pim'
  | 'ctp' | 'cpn' | 'cis' | 'gft' | 'gor' | 'rbp' | 'drw' | 'dpz' | 'den' | 'rta' | 'job' | 'kpt'
  | 'tag' | 'tev' | 'clf' | 'rlr' | 'rcm' | 'fcr' | 'clc'
  // service: teams, categories, SLA policies, tickets, their events, photos, compensations, follow-ups;
  // suggestions; surveys, their invitations and responses
  | 'stm' | 'scg' | 'sla' | 'tkt' | 'tke' | 'tph' | 'tcm' | 'tfu' | 'sug' | 'svy' | 'svi' | 'svr'
  // marketing: the message log, message templates, campaigns and their runs, journeys and the members inside
  | 'msg' | 'mtp' | 'cmp' | 'crn' | 'jny' | 'jnm'
  // marketing: member events and their registrations
  | 'mev' | 'erg'
  // personal data (PIPL): erasure requests
  | 'era'
  // the member's page: sign-in codes
  | 'mlc'
  // operations: backup runs
  | 'bkr'

// Crockford's base32 (as ULID), lower case: no i, l, o, u.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'
const RANDOM_BITS = 80n
const MAX_RANDOM = (1n << RANDOM_BITS) - 1n

/** `chars` base32 digits of a whole number below 2^53. */
const encode = (value: number, chars: number): string => {
  let out = ''
  for (let i = 0; i < chars; i++) {
    out = ALPHABET[value % 32]! + out
    value = Math.floor(value / 32)
  }
  return out
}
const LOW = 1n << 40n

const random80 = (): bigint => {
  const b = randomBytesPooled(10)
  return (b.readBigUInt64BE(0) << 16n) | BigInt(b.readUInt16BE(8))
}

let lastTime = 0
let lastRandom = 0n

/**
 * The 26 characters of an id: 48 bits of milliseconds, then 80 bits drawn at random. Lists page
 * and sort by id as creation order, so ids made in one millisecond still increase, but by a random
 * step of up to 2^64 rather than by one (a monotonic ULID's), so no id tells its neighbours: a
 * guess of the next one in the same millisecond succeeds once in 2^64.
 */
export const idBody = (now: number = Date.now()): string => {
  let time = now
  let random: bigint
  if (time <= lastTime) {
    time = lastTime
    random = lastRandom + 1n + randomBytesPooled(8).readBigUInt64BE()
    if (random > MAX_RANDOM) {
      // The millisecond's space ran out: borrow the next millisecond, as a monotonic ULID does.
      time = lastTime + 1
      random = random80()
    }
  } else {
    random = random80()
  }
  lastTime = time
  lastRandom = random
  return encode(time, 10) + encode(Number(random / LOW), 8) + encode(Number(random % LOW), 8)
}

/** Prefixed, time-ordered, unguessable ids (`mem_01j…`): they sort by creation and tell what they name. */
export const newId = (prefix: IdPrefix): string => `${prefix}_${idBody()}`
