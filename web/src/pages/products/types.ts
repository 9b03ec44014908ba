import type { components, paths } from '../../api/schema.js'

export type Product = components['schemas']['Product']
export type ProductPage = paths['/api/v1/products']['get']['responses']['200']['content']['application/json']
export type ProductFilter = NonNullable<paths['/api/v1/products']['get']['parameters']['query']>
export type DepartmentNode = paths['/api/v1/products/tree']['get']['responses']['200']['content']['application/json'][number]
export type ImportResult = paths['/api/v1/products/imports']['post']['responses']['200']['content']['application/json']
export type ImportRowError = ImportResult['errors'][number]
