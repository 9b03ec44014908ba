import { JOBS, findJob, runJob } from '../jobs/jobs.js'
import { openPatron } from './bootstrap.js'

export const jobsListCommand = () => {
  for (const job of JOBS) console.log(`${job.name.padEnd(24)} ${job.description}`)
}

/** Runs one job now (once per day unless --force); exit 1 when it failed. */
export const jobsRunCommand = async (name: string, opts: { force?: boolean }) => {
  const job = findJob(name)
  if (!job) {
    console.error(`patron: no job named "${name}"; jobs: ${JOBS.map((j) => j.name).join(', ')}`)
    process.exitCode = 2
    return
  }
  const patron = await openPatron()
  try {
    const outcome = await runJob(patron.services, job, opts.force ? { key: `manual:${new Date().toISOString()}` } : {})
    if (outcome.status === 'completed') console.log(`${name}: done ${JSON.stringify(outcome.result)}`)
    else if (outcome.status === 'skipped') console.log(`${name}: skipped (${outcome.reason}; --force runs it again)`)
    else {
      console.error(`${name}: failed: ${outcome.error}`)
      process.exitCode = 1
    }
  } finally {
    await patron.close()
  }
}

/** Checks every member's ledger and the rewards' stock and counts; prints each mismatch and exits 1 if there is one. */
export const verifyCommand = async () => {
  const patron = await openPatron()
  try {
    const started = Date.now()
    const problems = await patron.services.loyalty.verify()
    for (const p of problems) console.log(`${p.memberId}: ${p.problem}`)
    const rewards = await patron.services.verifyRewards()
    for (const p of rewards) console.log(`${p.area} ${p.id}: ${p.problem}`)
    // The audit log: what is not chained yet is chained now, then the whole chain is checked.
    await patron.services.audit.seal()
    const chain = await patron.services.audit.verifyChain()
    for (const p of chain.problems) console.log(`audit entry ${p.seq ?? '-'} ${p.id}: ${p.problem}`)
    const accounts = { n: await patron.services.loyalty.countAccounts() }
    const took = ((Date.now() - started) / 1000).toFixed(1)
    if (problems.length || rewards.length || chain.problems.length) {
      console.error(`verify: ${problems.length} ledger, ${rewards.length} rewards and ${chain.problems.length} audit-log mismatch(es) in ${accounts.n} points accounts and ${chain.entries} audit entries (${took} s)`)
      process.exitCode = 1
    } else {
      console.log(`verify: ${accounts.n} points accounts reconcile: balances equal their entries, lots their allocations; coupons, gift stock and prize stock reconcile; the audit log's ${chain.entries} entries form an unbroken hash chain (${took} s)`)
    }
  } finally {
    await patron.close()
  }
}
