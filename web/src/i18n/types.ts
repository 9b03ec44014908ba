/** The shape of a zh-CN namespace with every leaf a string: en-US must have the same keys. */
export type Translation<T> = { [K in keyof T]: T[K] extends string ? string : Translation<T[K]> }
