import { DomainError, isDomainError } from '../../shared/errors.js'

/**
 * Staff services name what they refuse by their own fields (memberId, pickupStoreId, id); the
 * member's page sent other names, or none (the member is the session), so its answers name the
 * page's: `names` maps a service's field to the page's.
 */
export const renamingFields = async <T>(run: () => Promise<T>, names: Record<string, string>): Promise<T> => {
  try {
    return await run()
  } catch (err) {
    if (!isDomainError(err) || !err.details.some((d) => d.field in names)) throw err
    const details = err.details.map((d) => ({ ...d, field: names[d.field] ?? d.field }))
    throw new DomainError(err.kind, err.code, details.map((d) => `${d.field}: ${d.reason}`).join('; '), details, err.headers)
  }
}
