import type { Kysely } from 'kysely'

// Suggestions and satisfaction surveys (issue 14 §2, §3).
export async function up(_db: Kysely<any>): Promise<void> {
}
