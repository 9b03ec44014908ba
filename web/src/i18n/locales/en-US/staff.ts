import type zh from '../zh-CN/staff.js'
import type { Translation } from '../../types.js'

export default {} satisfies Translation<typeof zh>
