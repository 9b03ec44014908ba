// Kysely table types of suggestions and surveys (migration 2026_12_14_0910).
export interface FeedbackTables {
}
