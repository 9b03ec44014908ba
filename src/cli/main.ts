import { Command, InvalidArgumentError } from 'commander'
import { ROLES, type Role } from '../modules/auth/index.js'
import { storeByCode } from '../modules/org/index.js'
import { isDomainError } from '../shared/errors.js'
import { importMembersCommand } from './import-members.js'
import { importProductsCommand } from './import-products.js'
import { importReceiptsCommand, type ImportReceiptsOptions } from './import-receipts.js'
import { jobsListCommand, jobsRunCommand, verifyCommand } from './jobs.js'
import { backupCommand, backupsListCommand, restoreCommand } from './backup.js'
import { keysRetireCommand, keysRotateCommand, keysStatusCommand } from './keys.js'
import { openPatron } from './bootstrap.js'
import { registerAnalyticsCommands } from './analytics/index.js'
import { seedDemoCommand, serveCommand, workerCommand } from './serve.js'
import { randomBytes } from 'node:crypto'

const integer = (name: string, min: number) => (value: string) => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be a whole number ≥ ${min}`)
  return n
}

const program = new Command()
program.name('patron').description('Patron: CRM and loyalty for retail chains').showHelpAfterError()

program.command('serve')
  .description('Migrate the database and serve the API and console (HOST, default 127.0.0.1; PORT, default 3000)')
  .option('--seed-demo-if-empty', 'load the demo chain when the database has no stores yet')
  .option('--no-worker', 'serve only: run no job-queue worker in this process (run `patron worker` elsewhere)')
  .action(async (opts: { seedDemoIfEmpty?: boolean; worker: boolean }) => serveCommand({ seedIfEmpty: Boolean(opts.seedDemoIfEmpty), worker: opts.worker }))

program.command('worker')
  .description('Run the job queue without the API: PATRON_WORKERS loops (default 1; PostgreSQL may run more, here and in other processes). Stops gracefully on SIGINT/SIGTERM.')
  .option('--once', 'run the jobs that are due, then exit')
  .action(async (opts: { once?: boolean }) => workerCommand(opts))

program.command('migrate')
  .description('Apply pending database migrations and exit')
  .action(async () => {
    const patron = await openPatron()
    console.log(`Database is up to date (${patron.services.database.describe}).`)
    await patron.close()
  })

program.command('seed-demo')
  .description('Load the demo chain: 3 regions, 12 stores, staff of every role, members, ~3,000 products and a year of receipts (safe to re-run)')
  .option('--members <n>', 'how many members', integer('--members', 0), 20_000)
  .option('--receipts <n>', 'sales in the demo year, about 40% without a member (default: 1.25 per member)', integer('--receipts', 0))
  .option('--seed <s>', 'random seed, for the same data every time', integer('--seed', 0), 1)
  .action(async (opts: { members: number; seed: number; receipts?: number }) => seedDemoCommand(opts))

const user = program.command('user').description('Staff users')
user.command('add')
  .description('Create a staff user; prints a generated password unless --password or PATRON_NEW_PASSWORD is given')
  .requiredOption('--username <name>', 'login name (a-z, 0-9, . _ -)')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, (v: string) => {
    if (!(ROLES as readonly string[]).includes(v)) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`)
    return v as Role
  })
  .option('--store <code>', 'store code, for store roles (store_manager, cashier, service_agent)')
  .option('--name <display>', 'display name')
  .option('--password <password>', 'initial password (visible in shell history: prefer PATRON_NEW_PASSWORD)')
  .action(async (opts: { username: string; role: Role; store?: string; name?: string; password?: string }) => {
    const patron = await openPatron()
    try {
      let storeId: string | null = null
      if (opts.store) {
        const store = await storeByCode(patron.services.db, opts.store)
        if (!store) throw new InvalidArgumentError(`no store with code ${opts.store}`)
        storeId = store.id
      }
      const given = opts.password ?? process.env.PATRON_NEW_PASSWORD
      const password = given ?? `${randomBytes(9).toString('base64url')}#1`
      const created = await patron.services.auth.createUser({ kind: 'system', name: 'cli' }, { username: opts.username, displayName: opts.name, password, role: opts.role, storeId })
      console.log(`Created ${created.role} ${created.username}${opts.store ? ` at store ${opts.store}` : ''}.`)
      if (!given) console.log(`Password: ${password}  (shown once; the user should change it after signing in)`)
    } finally {
      await patron.close()
    }
  })

const members = program.command('members').description('The member file')
members.command('import <file>')
  .description('Import members from a CSV (or .csv.gz), streaming; bad rows go to an error report, good rows are kept. Re-running skips what is already there.')
  .requiredOption('--map <mapping>', 'CSV column to field, e.g. "手机=phone,姓名=name,卡号=externalCode" (see --help for fields)')
  .option('--update', 'update members that already exist instead of skipping them')
  .option('--store <code>', 'registration store for rows without a storeCode column')
  .option('--report <path>', 'where to write the error report (default FILE.errors.csv)')
  .addHelpText('after', '\nFields: phone, name, gender, birthday, idNumber, email, occupation, education, incomeBand, district, address,\n        externalCode, storeCode, registeredAt, consent.sms, consent.email, consent.wechat, consent.app_push, consent.phone_call\n\nExit code: 0 all rows fine, 1 some rows refused (see the report), 2 the import could not run.')
  .action(async (file: string, opts: { map: string; update?: boolean; store?: string; report?: string }) => importMembersCommand(file, opts))

const products = program.command('products').description('The product catalogue')
products.command('import <file>')
  .description('Import products from a CSV (or .csv.gz); bad rows are listed as FILE:LINE: reason, good rows are kept. Re-running changes nothing.')
  .option('--map <mapping>', 'CSV column to field, e.g. "货号=sku,品名=name,零售价=list_price" (default: columns named like the fields)')
  .option('--update', 'change products that already exist to the file\'s values (only the fields that differ)')
  .option('--report <path>', 'write every problem to this CSV (line, column, value, reason)')
  .addHelpText('after', '\nFields: sku, name, barcode, department, category, subcategory, brand, list_price, member_price, points_eligible, sold_by_weight\nPrices in yuan (12.50); flags 1/0, true/false, 是/否, Y/N.\n\nExit code: 0 all rows fine, 1 some rows refused, 2 the import could not run.')
  .action(async (file: string, opts: { map?: string; update?: boolean; report?: string }) => importProductsCommand(file, opts))

const receipts = program.command('receipts').description('Receipts')
receipts.command('import <file>')
  .description('Import historical receipts from a POS export (CSV or .csv.gz, one row per line item), streaming. Bad rows are listed as FILE:LINE: reason, the rest is posted. Re-running (e.g. after a crash) posts nothing twice.')
  .requiredOption('--map <mapping>', 'CSV column to field, e.g. "InvoiceNo=receipt_no,StockCode=sku,Quantity=quantity,UnitPrice=unit_price,InvoiceDate=business_at,CustomerID=member"')
  .option('--store <code>', 'store code of rows without a store column')
  .option('--timezone <zone>', 'time zone of business times without one (default: the chain\'s, PATRON_TIMEZONE)')
  .option('--no-points', 'history without points: nothing is earned or reversed')
  .option('--create-members', 'register members named by an unknown external code (at the store of their first receipt)')
  .option('--member-key <key>', 'what the member column holds: phone, card or external (default: a valid card number, else a mobile number, else an external code)', (v: string) => {
    if (!['phone', 'card', 'external'].includes(v)) throw new InvalidArgumentError('must be phone, card or external')
    return v
  })
  .option('--return-prefix <prefix>', 'receipt numbers starting with it are returns, e.g. C (default: none; returns come from a kind column)')
  .option('--report <path>', 'write every problem to this CSV (line, column, value, reason)')
  .option('--batch <receipts>', 'receipts per transaction', integer('--batch', 1), 2000)
  .addHelpText('after', '\nFields: receipt_no, store, business_at, sku, name, quantity, unit_price, discount, amount, member, kind, till, cashier, tender\n'
    + 'Required: receipt_no, business_at, sku, quantity, unit_price (and store, or --store). Prices in yuan (12.50).\n'
    + 'Returns stand alone (the export does not say which sale they reverse); negative quantities on a sale are refused.\n\n'
    + 'Exit code: 0 every row imported (or already there), 1 some rows or receipts not imported, 2 the import could not run.')
  .action(async (file: string, opts: ImportReceiptsOptions) => importReceiptsCommand(file, opts))

program.command('verify')
  .description('Check the points ledger: every balance equals its entries and every lot its allocations. Exit 1 on any mismatch.')
  .action(verifyCommand)

program.command('backup')
  .description('Back up the database while Patron runs (SQLite: VACUUM INTO; PostgreSQL: pg_dump), with a manifest of its version, migration level, row counts and checksums; the data key is not in it')
  .option('--to <dir>', 'where the backup folder goes (default: <data dir>/backups)')
  .addHelpText('after', '\nExit code: 0 backed up, 2 it could not (the folder exists, pg_dump missing).')
  .action(backupCommand)

program.command('backups')
  .description('List the backups (newest first)')
  .option('--in <dir>', 'the backups folder (default: <data dir>/backups)')
  .action(backupsListCommand)

program.command('restore <backup>')
  .description('Restore a backup folder into an empty target with the key file of PATRON_KEY_FILE, then check the manifest\'s counts and verify the books')
  .option('--to <target>', 'a new SQLite file, or the DATABASE_URL of an empty PostgreSQL database (default: DATABASE_URL)')
  .addHelpText('after', '\nExit code: 0 restored and verified, 1 restored but verify found a mismatch, 2 refused (not empty, corrupt, wrong key).')
  .action(restoreCommand)

const jobs = program.command('jobs').description('Scheduled jobs (queued once a day and run by the workers; several servers run each once)')
jobs.command('list').description('The jobs').action(jobsListCommand)
jobs.command('run <name>')
  .description("Run a job now; it runs once per day, so a second run the same day is skipped unless --force (jobs are idempotent: a forced run changes nothing that is done)")
  .option('--force', 'run even if it already ran today')
  .action(async (name: string, opts: { force?: boolean }) => jobsRunCommand(name, opts))

const keys = program.command('keys').description('The data-encryption key file (PATRON_KEY_FILE)')
keys.command('status').description('List the keys and how many stored values each encrypts').action(keysStatusCommand)
keys.command('rotate').description('Add a new active key and re-encrypt all member data under it (old keys stay until retired)').action(keysRotateCommand)
keys.command('retire').description('After every process restarted with the new key: drop the keys no stored value uses').action(keysRetireCommand)

registerAnalyticsCommands(program)

const main = async () => {
  try {
    await program.parseAsync(process.argv)
  } catch (err) {
    if (isDomainError(err)) {
      console.error(`patron: ${err.details.length ? err.details.map((d) => `${d.field}: ${d.reason}`).join('\n  ') : err.message}`)
    } else {
      console.error(`patron: ${(err as Error).message}`)
    }
    process.exitCode = 2
  }
}

await main()
