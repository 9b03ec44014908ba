import { describe, expect, it } from 'vitest'
import { tenderIndexOfKey, tillAction } from './hotkeys.js'

describe('the till keys', () => {
  it.each([['F2', 'member'], ['F3', 'item'], ['F4', 'quote'], ['F9', 'pay'], ['Escape', 'clear'], ['F5', null], ['Enter', null], ['a', null]])('%s is %s', (key, action) => {
    expect(tillAction({ key })).toBe(action)
  })

  it('leaves shortcuts with modifiers to the browser', () => {
    expect(tillAction({ key: 'F4', altKey: true })).toBeNull()
    expect(tillAction({ key: 'F2', ctrlKey: true })).toBeNull()
  })

  it.each([['1', 0], ['4', 3], ['5', null], ['0', null], ['x', null]])('payment key %s picks tender %s of 4', (key, index) => {
    expect(tenderIndexOfKey(key, 4)).toBe(index)
  })
})
