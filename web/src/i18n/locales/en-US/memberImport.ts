import type zh from '../zh-CN/memberImport.js'
import type { Translation } from '../../types.js'

export default {} satisfies Translation<typeof zh>
