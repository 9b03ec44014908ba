import type zh from '../zh-CN/audit.js'
import type { Translation } from '../../types.js'

export default {} satisfies Translation<typeof zh>
