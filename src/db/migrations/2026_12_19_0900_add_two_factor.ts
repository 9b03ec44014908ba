import type { Kysely } from 'kysely'

// Two-factor sign-in (issue 16 §4): a staff user's TOTP secret, encrypted with the data key
// (field `staff.totp_secret`), the secret being set up until its first code confirms it, when it
// was turned on, and the last time step a code was accepted for (a code works once).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('staff_users').addColumn('totp_secret_enc', 'text').execute()
  await db.schema.alterTable('staff_users').addColumn('totp_pending_enc', 'text').execute()
  await db.schema.alterTable('staff_users').addColumn('totp_enabled_at', 'text').execute()
  await db.schema.alterTable('staff_users').addColumn('totp_last_step', 'bigint').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const c of ['totp_last_step', 'totp_enabled_at', 'totp_pending_enc', 'totp_secret_enc']) {
    await db.schema.alterTable('staff_users').dropColumn(c).execute()
  }
}
