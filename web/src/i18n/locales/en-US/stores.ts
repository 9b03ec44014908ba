import type zh from '../zh-CN/stores.js'
import type { Translation } from '../../types.js'

export default {} satisfies Translation<typeof zh>
