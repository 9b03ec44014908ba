import { describe, expect, it } from 'vitest'
import {
  addGroup, addLeaf, asRoot, countLeaves, defaultLeaf, fieldKind, FIELDS, FIELD_GROUPS, fromDisplay, isComplete, nodeAt, opsOf, pathKey, removeAt, setJoin,
  toDefinition, toDisplay, toggleNot, updateAt, withOp, type Node,
} from './condition-model.js'

const female: Node = { field: 'gender', op: 'in', value: ['female'] }
const bought: Node = { field: 'bought', op: 'category', value: ['母婴'], days: 90, min: 2 }
const tag: Node = { field: 'tag', op: 'has', value: 'tag_1' }

describe('the condition builder model', () => {
  it('builds a nested tree: add a condition, a group, conditions in it, negate one', () => {
    let root = asRoot(undefined)
    root = addLeaf(root, [], 'gender')
    root = updateAt(root, [0], (n) => ({ ...n, value: ['female'] }))
    root = addGroup(root, [], 'any')
    root = addLeaf(root, [1], 'bought')
    root = updateAt(root, [1, 0], () => bought)
    root = addLeaf(root, [1], 'tag')
    root = updateAt(root, [1, 1], () => tag)
    root = toggleNot(root, [1, 1])
    expect(root).toEqual({ all: [female, { any: [bought, { not: tag }] }] })
    expect(nodeAt(root, [1, 1, 'not'])).toEqual(tag)
    expect(countLeaves(root)).toBe(3)
    expect(isComplete(root)).toBe(true)
    // un-negate from the inside, switch the inner join, remove
    expect(toggleNot(root, [1, 1, 'not'])).toEqual({ all: [female, { any: [bought, tag] }] })
    expect(setJoin(root, [1], 'all')).toEqual({ all: [female, { all: [bought, { not: tag }] }] })
    expect(removeAt(root, [1, 1, 'not'])).toEqual({ all: [female, { any: [bought] }] })
    expect(removeAt(root, [0])).toEqual({ all: [{ any: [bought, { not: tag }] }] })
  })

  it.each<[string, Node, boolean]>([
    ['an empty root', { all: [] }, false],
    ['an empty inner group', { all: [female, { any: [] }] }, false],
    ['a new leaf without values', { all: [defaultLeaf('gender')] }, false],
    ['a number without a value', { all: [defaultLeaf('spend_w')] }, false],
    ['between with one bound', { all: [{ field: 'age', op: 'between', value: [20, null] }] }, false],
    ['coupon held (no value needed)', { all: [defaultLeaf('coupon')] }, true],
    ['a tag not chosen', { all: [defaultLeaf('tag')] }, false],
    ['bought without categories', { all: [defaultLeaf('bought')] }, false],
    ['a complete tree', { all: [female, { not: bought }] }, true],
  ])('%s is complete: %s', (_, node, expected) => {
    expect(isComplete(node)).toBe(expected)
  })

  it('sends one condition alone, and a tree as it is', () => {
    expect(toDefinition({ all: [female] })).toEqual(female)
    expect(toDefinition({ all: [female, tag] })).toEqual({ all: [female, tag] })
    expect(asRoot(female)).toEqual({ all: [female] })
  })

  it.each<[string, Node, string, Node]>([
    ['number to between keeps the first bound', { field: 'age', op: 'gte', value: 30 }, 'between', { field: 'age', op: 'between', value: [30, null] }],
    ['between back to a bound', { field: 'age', op: 'between', value: [30, 40] }, 'lte', { field: 'age', op: 'lte', value: 30 }],
    ['coupon used gets a window', { field: 'coupon', op: 'holds' }, 'used', { field: 'coupon', op: 'used', days: 30 }],
    ['coupon held drops it', { field: 'coupon', op: 'used', days: 30, value: 'ctp_1' }, 'holds', { field: 'coupon', op: 'holds', value: 'ctp_1' }],
  ])('changes the operator: %s', (_, leaf, op, expected) => {
    expect(withOp(leaf, op)).toEqual(expected)
  })

  it('names every field once, each with operators, and money in yuan on screen', () => {
    const names = FIELD_GROUPS.flatMap((g) => Object.keys(FIELDS[g]))
    expect(new Set(names).size).toBe(names.length)
    for (const f of names) expect(opsOf(f).length).toBeGreaterThan(0)
    expect(fieldKind('spend_w')).toEqual({ kind: 'number', unit: 'yuan' })
    expect(toDisplay('yuan', 12345)).toBe(123.45)
    expect(fromDisplay('yuan', 123.456)).toBe(12346)
    expect(fromDisplay('days', 30)).toBe(30)
    expect(pathKey([])).toBe('root')
    expect(pathKey([1, 'not'])).toBe('1-not')
  })
})
