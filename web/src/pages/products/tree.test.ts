import { describe, expect, it } from 'vitest'
import { classKey, toClassNodes } from './tree.js'

describe('the product class tree', () => {
  it('gives each named node the filter that lists its products, and unclassified ones none', () => {
    const nodes = toClassNodes([
      { name: '饮料', count: 3, categories: [{ name: '碳酸饮料', count: 3, subcategories: [{ name: '可乐', count: 2 }, { name: null, count: 1 }] }] },
      { name: null, count: 1, categories: [{ name: null, count: 1, subcategories: [{ name: null, count: 1 }] }] },
    ])
    const drinks = nodes[0]!
    expect(drinks).toMatchObject({ name: '饮料', count: 3, filter: { department: '饮料' }, key: classKey({ department: '饮料' }) })
    const soda = drinks.children[0]!
    expect(soda.filter).toEqual({ department: '饮料', category: '碳酸饮料' })
    expect(soda.children.map((s) => s.filter)).toEqual([{ department: '饮料', category: '碳酸饮料', subcategory: '可乐' }, null])
    expect(soda.children[0]!.key).toBe(classKey({ department: '饮料', category: '碳酸饮料', subcategory: '可乐' }))
    expect(nodes[1]).toMatchObject({ name: null, filter: null })
    const keys = [nodes[1]!.key, nodes[1]!.children[0]!.key, nodes[1]!.children[0]!.children[0]!.key, soda.children[1]!.key]
    expect(new Set(keys).size).toBe(4)
  })
})
