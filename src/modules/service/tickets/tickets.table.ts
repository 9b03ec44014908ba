// Kysely table types of the service desk (migration 2026_12_14_0900).
export interface TicketsTables {
}
