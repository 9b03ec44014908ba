import { describe, expect, it } from 'vitest'
import { emptyEvent, eventActions, eventTimeText, reasonKey, toEventBody, toFormValues, type MemberEvent } from './event-form.js'

const tz = 'Asia/Shanghai'
const event: MemberEvent = {
  id: 'mev_1', title: '顾客座谈会', kind: 'panel', description: null, storeId: 'sto_1', storeName: '浦东店', startsAt: '2026-04-10T06:00:00.000Z', endsAt: '2026-04-10T08:00:00.000Z',
  capacity: 20, seatsTaken: 3, segmentId: 'seg_1', campaignId: null, status: 'open', version: 2, createdBy: null, createdAt: '2026-04-01T00:00:00.000Z', updatedAt: '2026-04-01T00:00:00.000Z',
}

describe('the event form', () => {
  it('shows an event\'s times as wall times in the chain\'s zone and sends them back as the same instants', () => {
    const values = toFormValues(event, tz)
    expect(values.startsAt!.format('YYYY-MM-DD HH:mm')).toBe('2026-04-10 14:00')
    expect(toEventBody({ ...values, title: ' 顾客座谈会 ', description: '  ' }, tz)).toEqual({
      title: '顾客座谈会', kind: 'panel', storeId: 'sto_1', startsAt: event.startsAt, endsAt: event.endsAt, capacity: 20, segmentId: 'seg_1', campaignId: null, description: null,
    })
  })

  it('starts a new event a week ahead at 14:00 to 16:00 in the chain\'s zone', () => {
    const v = emptyEvent(tz, new Date('2026-04-01T20:00:00.000Z'))
    expect(v.startsAt!.format('YYYY-MM-DD HH:mm')).toBe('2026-04-09 14:00')
    expect(v.endsAt!.format('YYYY-MM-DD HH:mm')).toBe('2026-04-09 16:00')
  })

  it.each([
    [{ startsAt: '2026-04-10T06:00:00.000Z', endsAt: '2026-04-10T08:00:00.000Z' }, '2026-04-10 14:00–16:00'],
    [{ startsAt: '2026-04-10T06:00:00.000Z', endsAt: '2026-04-11T08:00:00.000Z' }, '2026-04-10 14:00 – 2026-04-11 16:00'],
  ])('puts %o in words', (times, text) => {
    expect(eventTimeText(times, tz)).toBe(text)
  })

  it.each([
    ['draft', true, ['edit', 'open', 'cancel']],
    ['open', true, ['edit', 'close', 'cancel']],
    ['closed', true, ['edit', 'open', 'cancel']],
    ['cancelled', true, []],
    ['open', false, []],
  ] as const)('a %s event, managed %s: %o', (status, manage, actions) => {
    expect(eventActions(status, manage)).toEqual(actions)
  })

  it.each([
    ['after the start', 'after'], ['at most 31 days after the start', 'tooLong'], ['below the seats taken (6)', 'belowSeats'], ['not found', 'notFound'], ['something else', null],
  ])('words the reason "%s"', (reason, key) => {
    expect(reasonKey(reason)).toBe(key)
  })
})
