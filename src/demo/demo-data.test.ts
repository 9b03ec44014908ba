import { describe, expect, it } from 'vitest'
import { ROLES } from '../modules/auth/index.js'
import { EDUCATIONS, INCOME_BANDS, OCCUPATIONS } from '../modules/members/index.js'
import { demoMembers, demoRegions, demoStaff, demoStores, type DemoMember } from './demo-data.js'

const REFERENCE = '2026-03-02T02:00:00.000Z'

const take = (iterable: Iterable<DemoMember>, n: number): DemoMember[] => {
  const out: DemoMember[] = []
  for (const m of iterable) {
    if (out.length === n) break
    out.push(m)
  }
  return out
}

const members = [...demoMembers({ count: 2000, seed: 7, referenceDate: REFERENCE })]

const isValidResidentId = (id: string): boolean => {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  if (!/^\d{17}[\dX]$/.test(id)) return false
  const sum = weights.reduce((acc, w, i) => acc + w * Number(id[i]), 0)
  return '10X98765432'[sum % 11] === id[17]
}

/** Completed years on the reference day. */
const ageOn = (birthday: string, today: string): number =>
  Number(today.slice(0, 4)) - Number(birthday.slice(0, 4)) - (today.slice(5, 10) < birthday.slice(5, 10) ? 1 : 0)

const expectUnique = (values: readonly string[]) => expect(new Set(values).size).toBe(values.length)

describe('demo chain', () => {
  it('has 12 stores with unique codes spread over the 3 regions', () => {
    const regions = demoRegions()
    const stores = demoStores()
    expect(regions).toHaveLength(3)
    expect(stores).toHaveLength(12)
    expectUnique(stores.map((s) => s.code))
    expect(new Set(stores.map((s) => s.regionCode))).toEqual(new Set(regions.map((r) => r.code)))
    for (const s of stores) {
      expect(s.openedOn >= '2012-01-01' && s.openedOn <= '2022-12-31').toBe(true)
      expect(s.address.includes(s.district)).toBe(true)
    }
  })

  it('has every role, and a manager, cashier and service agent in every store', () => {
    const staff = demoStaff()
    expect(new Set(staff.map((s) => s.role))).toEqual(new Set(ROLES))
    expectUnique(staff.map((s) => s.username))
    expect(staff.find((s) => s.username === 'admin')?.role).toBe('hq_admin')
    expect(staff.find((s) => s.username === 'marketing')?.role).toBe('hq_marketing')
    expect(staff.find((s) => s.username === 'analyst')?.role).toBe('analyst')
    expect(staff.find((s) => s.username === 'region.east')).toMatchObject({ role: 'region_manager', regionCode: 'EAST', storeCode: null })
    for (const store of demoStores()) {
      const code = store.code.toLowerCase()
      expect(staff).toContainEqual(expect.objectContaining({ username: `manager.${code}`, role: 'store_manager', storeCode: store.code }))
      expect(staff).toContainEqual(expect.objectContaining({ username: `cashier.${code}`, role: 'cashier', storeCode: store.code }))
      expect(staff).toContainEqual(expect.objectContaining({ username: `service.${code}`, role: 'service_agent', storeCode: store.code }))
    }
  })

  it('gives passwords the password rules accept', () => {
    for (const { username, password } of demoStaff()) {
      expect(password.toLowerCase()).not.toContain(username.toLowerCase())
      expect(password.length).toBeGreaterThanOrEqual(8)
      expect(password).not.toMatch(/^\d+$/)
    }
  })
})

describe('demoMembers', () => {
  it('produces the requested count', () => {
    expect(members).toHaveLength(2000)
  })

  it('gives every member a unique, valid mainland mobile number', () => {
    for (const m of members) expect(m.phone).toMatch(/^1[3-9]\d{9}$/)
    expectUnique(members.map((m) => m.phone))
  })

  it('gives about 30% a unique, valid resident ID that agrees with birthday, gender and city', () => {
    const stores = new Map(demoStores().map((s) => [s.code, s]))
    const withId = members.filter((m) => m.idNumber !== null)
    expect(withId.length / members.length).toBeGreaterThan(0.25)
    expect(withId.length / members.length).toBeLessThan(0.35)
    expectUnique(withId.map((m) => m.idNumber!))
    for (const m of withId) {
      const id = m.idNumber!
      expect(isValidResidentId(id), id).toBe(true)
      expect(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`).toBe(m.birthday)
      expect(Number(id[16]) % 2 === 1 ? 'male' : 'female').toBe(m.gender)
      // Province digits of the store's city: 11 Beijing, 12 Tianjin, 31 Shanghai, 32 Jiangsu, 33 Zhejiang, 35 Fujian, 37 Shandong, 44 Guangdong.
      const province = { 北京: '11', 天津: '12', 上海: '31', 南京: '32', 苏州: '32', 杭州: '33', 厦门: '35', 济南: '37', 广州: '44', 深圳: '44' }[stores.get(m.storeCode)!.city]
      expect(id.slice(0, 2)).toBe(province)
    }
  })

  it('gives about 25% a unique example-domain email', () => {
    const emails = members.flatMap((m) => (m.email === null ? [] : [m.email]))
    expect(emails.length / members.length).toBeGreaterThan(0.2)
    expect(emails.length / members.length).toBeLessThan(0.3)
    expectUnique(emails)
    for (const e of emails) expect(e).toMatch(/^[a-z0-9._]+@example\.(com|cn)$/)
  })

  it('uses only allowed values for every enumerated field', () => {
    const storeCodes = new Set(demoStores().map((s) => s.code))
    const cashiers = new Set(demoStaff().filter((s) => s.role === 'cashier').map((s) => s.username))
    for (const m of members) {
      expect(['male', 'female']).toContain(m.gender)
      expect(OCCUPATIONS).toContain(m.occupation)
      if (m.education !== null) expect(EDUCATIONS).toContain(m.education)
      if (m.incomeBand !== null) expect(INCOME_BANDS).toContain(m.incomeBand)
      expect(['till', 'qr', 'mini_program']).toContain(m.channel)
      expect(storeCodes.has(m.storeCode)).toBe(true)
      expect(cashiers.has(m.registeredByUsername)).toBe(true)
      expect(m.registeredByUsername).toBe(`cashier.${m.storeCode.toLowerCase()}`)
      expect(Object.keys(m.consents).sort()).toEqual(['app_push', 'email', 'phone_call', 'sms', 'wechat'])
      if (m.email === null) expect(m.consents.email).toBe(false)
    }
  })

  it('gives plausible Chinese names and addresses in the member’s district', () => {
    for (const m of members) {
      expect(m.name).toMatch(/^\p{Script=Han}{2,3}$/u)
      if (m.address !== null) expect(m.address).toContain(m.district)
    }
  })

  it('keeps ages within 18–80 and occupations consistent with age', () => {
    const today = REFERENCE.slice(0, 10)
    for (const m of members) {
      const age = ageOn(m.birthday, today)
      expect(age, m.birthday).toBeGreaterThanOrEqual(18)
      expect(age, m.birthday).toBeLessThanOrEqual(80)
      if (m.occupation === 'retired') expect(age).toBeGreaterThanOrEqual(50)
      if (m.occupation === 'student') expect(age).toBeLessThanOrEqual(35)
    }
  })

  it.each(['2024-02-29', '2025-12-31T23:59:59.999Z'])('keeps ages within 18–80 on %s', (referenceDate) => {
    for (const m of demoMembers({ count: 2000, seed: 3, referenceDate })) {
      const age = ageOn(m.birthday, referenceDate.slice(0, 10))
      expect(age >= 18 && age <= 80, m.birthday).toBe(true)
      expect(m.registeredAt < referenceDate.slice(0, 10), m.registeredAt).toBe(true)
    }
  })

  it('registers members within the 3 years before the reference date, more of them recently', () => {
    const threeYearsBefore = '2023-03-01'
    for (const m of members) {
      expect(m.registeredAt < REFERENCE, m.registeredAt).toBe(true)
      expect(m.registeredAt >= threeYearsBefore, m.registeredAt).toBe(true)
      expect(m.registeredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
    }
    const lastYear = members.filter((m) => m.registeredAt >= '2025-03-02').length
    const firstYear = members.filter((m) => m.registeredAt < '2024-03-02').length
    expect(lastYear).toBeGreaterThan(firstYear)
  })

  it('is deterministic for a seed and differs between seeds', () => {
    const options = { count: 50, seed: 7, referenceDate: REFERENCE }
    expect([...demoMembers(options)]).toEqual(members.slice(0, 50))
    expect([...demoMembers(options)]).toEqual([...demoMembers(options)])
    expect(take(demoMembers({ ...options, seed: 8 }), 50)).not.toEqual(members.slice(0, 50))
  })

  it('generates the full demo chain of 20,000 distinct members', () => {
    const phones = new Set<string>()
    for (const m of demoMembers({ count: 20_000, seed: 1, referenceDate: REFERENCE })) phones.add(m.phone)
    expect(phones.size).toBe(20_000)
  })
})
