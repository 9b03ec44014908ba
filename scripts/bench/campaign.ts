import { sql } from 'kysely'
import type { createServices } from '../../src/services.js'
import { newId } from '../../src/shared/ids.js'

type Services = ReturnType<typeof createServices>
const system = { kind: 'system' as const, name: 'bench' }
const n0 = (n: number) => Math.round(n).toLocaleString('en-US')

/**
 * A campaign to every member of the chain (issue 15 §6): its preparation (the audience's snapshot,
 * the exclusions and consents, the holdout drawn, the targets queued, one transaction) timed
 * against the 60 s target, then `seconds` of sending through the sandbox provider in this process,
 * one send job after another as a worker runs them (rate, cap, consent, the message rendered, the
 * log's row), beside the bare engine writing the same message rows one at a time.
 */
export const runCampaignBench = async (services: Services, seconds: number) => {
  await services.campaigns.saveSettings(system, { quietStart: '00:00', quietEnd: '00:00', capCount: 4 })
  const segment = await services.segments.create(system, { name: '全部会员（基准）', definition: { field: 'registered_days', op: 'gte', value: 0 } })
  const template = await services.templates.create(system, { name: '基准短信', channel: 'sms', purpose: 'marketing', bodyZh: '{{memberName}}您好，会员日全场 9 折，积分 {{pointsBalance}}' })
  const c = await services.campaigns.create(system, { name: '基准活动', segmentId: segment.id, channels: ['sms'], templateIds: { sms: template.id }, holdoutPct: 10, ratePerMinute: 2_000 })
  const submitted = await services.campaigns.submit(system, c.id, 1)
  const started = performance.now()
  const { runId, targets } = await services.campaigns.startDue({ campaignId: c.id, dueAt: submitted.nextRunAt! })
  const prepared = (performance.now() - started) / 1000
  const run = (await services.campaigns.get(system, c.id)).runs[0]!

  // Sending: batches of the campaign's rate, as the worker takes the send job; the clock is real.
  const sendStart = performance.now()
  let sent = 0
  while ((performance.now() - sendStart) / 1000 < seconds) {
    const r = await services.campaigns.sendBatch({ runId: runId! })
    sent += r.sent + r.skipped + r.failed
    if (r.done || r.sent + r.skipped + r.failed === 0) break
  }
  const sendTook = (performance.now() - sendStart) / 1000
  await services.campaigns.cancel(system, c.id)

  // The ceiling: the bare engine writing a message row per recipient, one statement after another.
  const rows = 20_000
  const ceilStart = performance.now()
  const at = new Date().toISOString()
  for (let i = 0; i < rows && (performance.now() - ceilStart) / 1000 < seconds; i++) {
    await sql`insert into messages (id, member_id, channel, provider_kind, purpose, recipient_enc, recipient_masked, subject, body, template_code, params, status, provider_message_id, error, attempts, source_type, source_id, dedupe_key, created_by, created_at, updated_at, sent_at, delivered_at)
      values (${newId('msg')}, null, 'sms', 'sandbox', 'marketing', null, null, null, ${'bench ' + i}, null, null, 'delivered', null, null, 1, 'bench', 'bench', ${'bench:' + i}, null, ${at}, ${at}, ${at}, ${at})`.execute(services.db)
  }
  const ceilTook = (performance.now() - ceilStart) / 1000
  const ceilRate = Math.min(rows, (await sql<{ n: number }>`select count(*) as n from messages where source_type = 'bench'`.execute(services.db)).rows[0]!.n) / ceilTook
  return {
    preparation: `${n0(run.audience)} members → ${n0(targets)} targets (${n0(run.holdout)} held out, ${n0(run.noConsent)} without consent) prepared in ${prepared.toFixed(1)} s`,
    preparedSeconds: prepared,
    sending: `${n0(sent / sendTook)} messages/s through the sandbox (${n0(sent)} in ${sendTook.toFixed(1)} s, one worker)`,
    sendRate: sent / sendTook,
    ceiling: `${n0(ceilRate)} message rows/s written bare, one statement after another`,
    ceilRate,
  }
}
