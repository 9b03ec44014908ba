import type zh from '../zh-CN/members.js'
import type { Translation } from '../../types.js'

export default {} satisfies Translation<typeof zh>
