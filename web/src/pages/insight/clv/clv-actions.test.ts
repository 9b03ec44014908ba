import { describe, expect, it } from 'vitest'
import { addDays, atRiskDefinition, checkBody, checkOutcome, holdoutWeeksOf } from './clv-actions.js'

describe('asking for a holdout check', () => {
  it.each([
    ['2026-12-06', -182, '2026-06-07'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
  ])('counts from %s by %i days to %s', (date, days, to) => {
    expect(addDays(date, days)).toBe(to)
  })

  it('sets the holdout to the weeks asked to today, and the calibration end before them', () => {
    expect(checkBody({ weeks: 26, unit: 'week' }, '2026-12-06')).toEqual({ calibrationEnd: '2026-06-07', holdoutEnd: '2026-12-06', unit: 'week' })
    expect(checkBody({ weeks: 13, unit: 'day', regionId: 'reg_1' }, '2026-12-06')).toEqual({ calibrationEnd: '2026-09-06', holdoutEnd: '2026-12-06', unit: 'day', regionId: 'reg_1' })
    expect(checkBody({ weeks: 4, unit: 'week', regionId: null }, '2026-12-06')).not.toHaveProperty('regionId')
  })

  it.each([
    [undefined, undefined, 26],
    [{ length: 13 }, 'week', 13],
    [{ length: 26.142857 }, 'week', 26],
    [{ length: 91 }, 'day', 13],
    [{ length: 2 }, 'day', 1],
  ] as const)('starts the form from the last holdout %j in %s: %i weeks', (holdout, unit, weeks) => {
    expect(holdoutWeeksOf(holdout, unit)).toBe(weeks)
  })
})

describe('following a check until it is stored', () => {
  const job = (status: string, result: unknown = null, lastError: string | null = null) => ({ id: 'job_1', status, result, lastError })

  it.each([
    ['not read yet', undefined],
    ['another job’s answer still in hand', { ...job('done', { checkId: 'clc_0' }), id: 'job_0' }],
    ['queued', job('queued')],
    ['running', job('running')],
  ])('waits while the job is %s', (_, j) => {
    expect(checkOutcome('job_1', j)).toEqual({ kind: 'waiting' })
  })

  it('takes the check the job stored', () => {
    expect(checkOutcome('job_1', job('done', { checkId: 'clc_2', actual: 47, predicted: 46.8 }))).toEqual({ kind: 'stored', checkId: 'clc_2' })
  })

  it('tells a refusal (too few purchases: the last check stays) by its code', () => {
    expect(checkOutcome('job_1', job('done', { refused: 'CLV_TOO_FEW_REPEAT_CUSTOMERS' }))).toEqual({ kind: 'refused', code: 'CLV_TOO_FEW_REPEAT_CUSTOMERS' })
  })

  it('tells a job that gave up, with its last error', () => {
    expect(checkOutcome('job_1', job('dead', null, 'database is locked'))).toEqual({ kind: 'failed', error: 'database is locked' })
    expect(checkOutcome('job_1', job('done', null))).toEqual({ kind: 'failed', error: null })
  })
})

describe('the at-risk list as a segment', () => {
  it('picks P(alive) below the line (‰) and a CLV above zero', () => {
    expect(atRiskDefinition(300)).toEqual({ all: [{ field: 'p_alive_pm', op: 'lt', value: 300 }, { field: 'clv', op: 'gt', value: 0 }] })
  })
})
