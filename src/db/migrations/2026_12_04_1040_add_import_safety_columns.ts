import type { Kysely } from 'kysely'

// Imports say why a run stopped with a code the console translates (a file over a limit,
// cancelled, interrupted), remember which uploaded file they read (so a sweep at start removes
// files no running import owns), and keep a refused row's value sealed for the uploader's report.
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['member_imports', 'receipt_imports']) {
    await db.schema.alterTable(table).addColumn('error_code', 'text').execute()
    await db.schema.alterTable(table).addColumn('upload_file', 'text').execute()
  }
  for (const table of ['member_import_errors', 'receipt_import_errors']) {
    await db.schema.alterTable(table).addColumn('value_sealed', 'text').execute()
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['member_import_errors', 'receipt_import_errors']) {
    await db.schema.alterTable(table).dropColumn('value_sealed').execute()
  }
  for (const table of ['member_imports', 'receipt_imports']) {
    await db.schema.alterTable(table).dropColumn('upload_file').execute()
    await db.schema.alterTable(table).dropColumn('error_code').execute()
  }
}
