import type { ProviderKind } from './channels.table.js'

/** The field name a provider's secret is encrypted with (the AAD): one kind's secret cannot be moved to another's. */
export const secretField = (kind: ProviderKind, field: string) => `message_provider.${kind}.${field}`
