import dayjs from 'dayjs'
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api/client.js'
import {
  classTreeData, classValue, classesFromMatch, matchFromClasses, newRuleValues, revisionStart, ruleFieldName, ruleToValues, toRuleBody, toRuleFormError,
} from './rule-form.js'
import type { DepartmentNode, EarningRule } from './types.js'

const TZ = 'Asia/Shanghai'
const tree: DepartmentNode[] = [
  { name: '饮料', count: 10, categories: [{ name: '碳酸饮料', count: 6, subcategories: [{ name: '可乐', count: 4 }, { name: null, count: 2 }] }, { name: '进口', count: 4, subcategories: [] }] },
  { name: '酒类', count: 5, categories: [{ name: '进口', count: 5, subcategories: [] }] },
  { name: null, count: 3, categories: [{ name: '散装', count: 3, subcategories: [] }] },
]

const rule = (over: Partial<EarningRule>): EarningRule => ({
  id: 'rul_1', ruleKey: 'k1', version: 1, name: '双倍积分', kind: 'multiplier', definition: { kind: 'multiplier', factor: 2 },
  storeIds: null, regionIds: null, validFrom: '2026-03-01T16:00:00.000Z', validTo: null, status: 'active', createdBy: null, createdAt: '2026-03-01T00:00:00.000Z',
  ...over,
})

describe('products chosen in the tree', () => {
  it('names departments, categories and subcategories by their level in the tree', () => {
    expect(matchFromClasses([classValue(['饮料']), classValue(['饮料', '碳酸饮料']), classValue(['饮料', '碳酸饮料', '可乐']), classValue(['酒类', '进口']), classValue(['饮料', '进口'])]))
      .toEqual({ departments: ['饮料'], categories: ['碳酸饮料', '进口'], subcategories: ['可乐'] })
    expect(matchFromClasses([])).toEqual({})
    expect(matchFromClasses(['not json', '[]'])).toEqual({})
  })

  it('chooses every place a category name has, and keeps names the tree lacks', () => {
    expect(classesFromMatch({ categories: ['进口'], departments: ['生鲜'], subcategories: ['可乐'] }, tree)).toEqual([
      classValue(['生鲜']), classValue(['饮料', '进口']), classValue(['酒类', '进口']), classValue(['饮料', '碳酸饮料', '可乐']),
    ])
    expect(classesFromMatch({ categories: ['散装'] }, tree)).toEqual([classValue([null, '散装'])])
    expect(classesFromMatch(undefined, tree)).toEqual([])
  })

  it('builds tree data whose unclassified nodes are not selectable, with unknown chosen names added', () => {
    const data = classTreeData(tree, [classValue([null, '冷冻'])], '未分类')
    expect(data.map((d) => [d.title, d.selectable])).toEqual([['饮料', true], ['酒类', true], ['未分类', false], ['冷冻', true]])
    expect(data[0]!.children[0]!.children.map((s) => s.title)).toEqual(['可乐', '未分类'])
    expect(data[3]!.count).toBeNull()
    expect(new Set(data.flatMap((d) => [d.value, ...d.children.map((c) => c.value)])).size).toBe(8)
  })
})

describe('rule form values and the API body', () => {
  const from = dayjs('2026-05-01T00:00:00')

  it('writes a double-points day for a department, valid in Shanghai time', () => {
    const body = toRuleBody({
      ...newRuleValues('multiplier', from), name: ' 饮料双倍 ', classes: [classValue(['饮料'])], weekdays: [4, 2, 2], validTo: dayjs('2026-05-02T00:00:00'),
    }, TZ)
    expect(body).toEqual({
      name: '饮料双倍', definition: { kind: 'multiplier', factor: 2, match: { departments: ['饮料'] }, weekdays: [2, 4] },
      storeIds: null, regionIds: null, validFrom: '2026-04-30T16:00:00.000Z', validTo: '2026-05-01T16:00:00.000Z',
    })
  })

  it('writes a base rule in fen per point with its exclusions', () => {
    const body = toRuleBody({
      ...newRuleValues('base', from), name: '门店积分', yuanPerPoint: 0.5, rounding: 'round', brands: ['茅台', ' ', '茅台'], skus: ['6901'], storeIds: ['sto_1'],
    }, TZ)
    expect(body.definition).toEqual({ kind: 'base', fenPerPoint: 50, rounding: 'round', exclude: { brands: ['茅台'], skus: ['6901'] }, excludeTenders: ['points', 'coupon'] })
    expect(body.storeIds).toEqual(['sto_1'])
  })

  it('leaves out cap limits not given', () => {
    expect(toRuleBody({ ...newRuleValues('cap', from), name: 'c', perReceipt: 500 }, TZ).definition).toEqual({ kind: 'cap', perReceipt: 500 })
    expect(toRuleBody({ ...newRuleValues('birthday', from), name: 'b', factor: 3 }, TZ).definition).toEqual({ kind: 'birthday', factor: 3 })
  })

  it('reads a rule back into the form', () => {
    const values = ruleToValues(rule({
      definition: { kind: 'multiplier', factor: 1.5, match: { categories: ['进口'], brands: ['A'] }, weekdays: [3] }, storeIds: ['sto_2'], validTo: '2026-03-31T16:00:00.000Z',
    }), tree, TZ, from)
    expect(values).toMatchObject({
      kind: 'multiplier', name: '双倍积分', factor: 1.5, weekdays: [3], brands: ['A'], skus: [], storeIds: ['sto_2'], regionIds: [],
      classes: [classValue(['饮料', '进口']), classValue(['酒类', '进口'])],
    })
    expect(values.validTo!.format('YYYY-MM-DD HH:mm')).toBe('2026-04-01 00:00')
    expect(values.validFrom).toBe(from)
    const base = ruleToValues(rule({ kind: 'base', definition: { kind: 'base', fenPerPoint: 200, rounding: 'floor', excludeTenders: ['coupon'] } }), tree, TZ, from)
    expect(base).toMatchObject({ yuanPerPoint: 2, excludeTenders: ['coupon'], classes: [] })
  })

  it('starts a revision now, or after a version that starts later', () => {
    const now = dayjs('2026-03-05T12:00:00')
    expect(revisionStart(rule({}), TZ, now)).toBe(now)
    expect(revisionStart(rule({ validFrom: '2026-03-10T16:00:00.000Z' }), TZ, now).format('YYYY-MM-DD HH:mm')).toBe('2026-03-11 00:01')
  })
})

describe('server errors on the rule form', () => {
  it.each([
    ['definition.factor', 'factor'],
    ['definition.fenPerPoint', 'yuanPerPoint'],
    ['definition.match.departments', 'classes'],
    ['definition.exclude.brands', 'brands'],
    ['definition.match.skus', 'skus'],
    ['definition', 'perReceipt'],
    ['validFrom', 'validFrom'],
    ['storeIds', 'storeIds'],
    ['something', null],
  ])('%s shows on %s', (field, name) => {
    expect(ruleFieldName(field)).toBe(name)
  })

  it('renames the details of an API error and leaves other errors alone', () => {
    const err = toRuleFormError(new ApiError(422, 'VALIDATION', 'bad', [{ field: 'definition.factor', reason: 'too big' }, { field: 'x', reason: 'y' }]))
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).details).toEqual([{ field: 'factor', reason: 'too big' }, { field: 'x', reason: 'y' }])
    expect((toRuleFormError(new ApiError(422, 'VALIDATION', 'bad', [{ field: 'name', reason: 'r' }]), (r) => `<${r}>`) as ApiError).details)
      .toEqual([{ field: 'name', reason: '<r>' }])
    const other = new Error('boom')
    expect(toRuleFormError(other)).toBe(other)
  })
})
