import { Jieba } from '@node-rs/jieba'
import { dict } from '@node-rs/jieba/dict.js'
import ExcelJS from 'exceljs'
import type { Db, Engine } from '../../../db/database.js'
import type { Actor } from '../../../shared/actor.js'
import type { Clock } from '../../../shared/clock.js'
import { unprocessable } from '../../../shared/errors.js'
import { scopeWithFilter } from '../../../shared/scope.js'
import { memberSummaries } from '../../members/index.js'
import { listAllStores, regionsByIds, storeNamesByIds, storesByIds } from '../../org/index.js'
import type { SurveysTable } from './feedback.table.js'
import { csatOf, meanOf, npsOf, periodOf, scaleCounts, topWords, type Csat, type Nps, type ValueCount } from './survey-analysis.js'
import * as repo from './survey-results.repository.js'
import { SCALE, type Answer, type SurveyQuestion } from './survey-rules.js'

export interface ResultsFilter { from?: string; to?: string; storeId?: string; regionId?: string; period?: 'week' | 'month' }

interface Figures { responses: number; csat: Csat; nps: Nps }

/** Texts read for the word list: the newest this many (the list is a summary, not a census). */
const WORD_SAMPLE = 5000
const EXPORT_LIMIT = 100_000

// Loading the dictionary takes a quarter of a second: once, when the first word list is asked for.
let jieba: Jieba | null = null
const segmenter = () => (jieba ??= Jieba.withDict(dict))
/** Words of a text (jieba without HMM: dictionary words only, so the list holds real words). */
export const segment = (text: string): string[] => segmenter().cut(text, false)

/** Each member's class now (RFM class, lifecycle stage, tier): analytics reads them; services.ts hands the reader in. */
export type MemberClasses = (memberIds: readonly string[]) => Promise<Map<string, { rfm: string | null; lifecycle: string | null; tier: string | null }>>

/** Counted answers of one group: responses, and the rating and NPS answers by value. */
interface Counted { responses: number; rating: ValueCount[]; nps: ValueCount[] }
const figuresOf = (e: Counted): Figures => ({ responses: e.responses, csat: csatOf(e.rating), nps: npsOf(e.nps) })

/** Survey results: counts from SQL (survey-results.repository.ts), figures from survey-analysis.ts. */
export const createSurveyResults = ({ db, memberClasses }: { db: Db; engine: Engine; clock: Clock; timezone: string; memberClasses?: MemberClasses }) => {
  const selectionOf = async (actor: Actor, s: SurveysTable, f: ResultsFilter): Promise<repo.Selection> => {
    if (f.from && f.to && f.from > f.to) throw unprocessable('VALIDATION', [{ field: 'from', reason: 'after to' }])
    const scope = scopeWithFilter(actor, f.storeId)
    if (f.regionId && !(await regionsByIds(db, [f.regionId])).length) throw unprocessable('VALIDATION', [{ field: 'regionId', reason: 'no such region' }])
    const storeIds = f.regionId ? (await listAllStores(db)).filter((st) => st.regionId === f.regionId).map((st) => st.id) : undefined
    return { surveyId: s.id, scope, from: f.from, to: f.to, storeIds }
  }

  /** Counted answers per key of a dimension, the keys mapped (a day to its period, a member to a class, a store to its region). */
  const countedBy = async (sel: repo.Selection, dim: repo.Dimension, keyOf: (k: string | null) => string | null = (k) => k) => {
    const [scores, responses] = await Promise.all([repo.scoreCounts(db, sel, dim), repo.responseCounts(db, sel, dim)])
    const out = new Map<string | null, Counted>()
    const entry = (k: string | null) => {
      let e = out.get(k)
      if (!e) out.set(k, e = { responses: 0, rating: [], nps: [] })
      return e
    }
    for (const r of responses) entry(keyOf(r.key)).responses += r.count
    for (const r of scores) entry(keyOf(r.key))[r.kind].push({ value: r.value, count: r.count })
    return out
  }
  const figuresBy = async (sel: repo.Selection, dim: repo.Dimension, keyOf?: (k: string | null) => string | null) =>
    new Map([...(await countedBy(sel, dim, keyOf))].map(([k, e]) => [k, figuresOf(e)]))
  /** Merges groups under new keys (stores into regions, members into classes). */
  const regroup = (groups: Map<string | null, Counted>, keyOf: (k: string | null) => string | null) => {
    const out = new Map<string | null, Counted>()
    for (const [k, e] of groups) {
      const key = keyOf(k)
      const into = out.get(key) ?? { responses: 0, rating: [], nps: [] }
      out.set(key, { responses: into.responses + e.responses, rating: [...into.rating, ...e.rating], nps: [...into.nps, ...e.nps] })
    }
    return new Map([...out].map(([k, e]) => [k, figuresOf(e)]))
  }

  const resultsOf = async (s: SurveysTable, sel: repo.Selection, f: ResultsFilter) => {
    const period = f.period ?? 'month'
    const questions = JSON.parse(s.questions) as SurveyQuestion[]
    const [all, storeGroups, byPeriod, memberGroups, counts, texts] = await Promise.all([
      figuresBy(sel, 'all'), countedBy(sel, 'store'), figuresBy(sel, 'day', (d) => (d ? periodOf(d, period) : d)),
      countedBy(sel, 'member'), repo.questionCounts(db, sel), repo.textCount(db, sel),
    ])
    const empty: Figures = { responses: 0, csat: csatOf([]), nps: npsOf([]) }
    const storeList = await storesByIds(db, [...storeGroups.keys()].filter((k): k is string => k !== null))
    const stores = new Map(storeList.map((st) => [st.id, st]))
    const byStoreMap = new Map([...storeGroups].map(([k, e]) => [k, figuresOf(e)]))
    const byRegionMap = regroup(storeGroups, (k) => (k ? (stores.get(k)?.regionId ?? null) : null))
    const regions = new Map((await regionsByIds(db, [...byRegionMap.keys()].filter((k): k is string => k !== null))).map((r) => [r.id, r.name]))
    // Members' classes as they stand now; anonymous answers and members not classified yet: null.
    const classes = memberClasses ? await memberClasses([...memberGroups.keys()].filter((k): k is string => k !== null)) : new Map<string, { rfm: string | null; lifecycle: string | null; tier: string | null }>()
    const classOf = (which: 'rfm' | 'lifecycle' | 'tier') => (k: string | null) => (k ? (classes.get(k)?.[which] ?? null) : null)
    const rfm = regroup(memberGroups, classOf('rfm'))
    const lifecycle = regroup(memberGroups, classOf('lifecycle'))
    const tier = regroup(memberGroups, classOf('tier'))
    const byStore = [...byStoreMap].map(([k, v]) => ({ storeId: k, storeName: k ? (stores.get(k)?.name ?? null) : null, code: k ? (stores.get(k)?.code ?? '') : '', ...v }))
      .sort((a, b) => (a.storeId === null ? 1 : b.storeId === null ? -1 : a.code.localeCompare(b.code)))
      .map(({ code: _c, ...rest }) => rest)
    const byRegion = [...byRegionMap].map(([k, v]) => ({ regionId: k, regionName: k ? (regions.get(k) ?? null) : null, ...v }))
      .sort((a, b) => (a.regionId === null ? 1 : b.regionId === null ? -1 : (a.regionName ?? '').localeCompare(b.regionName ?? '')))
    const trend = [...byPeriod].filter(([k]) => k !== null).map(([k, v]) => ({ period: k!, ...v })).sort((a, b) => a.period.localeCompare(b.period))
    const byClass = (m: Map<string | null, Figures>) => [...m].map(([key, v]) => ({ key, ...v }))
      .sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : a.key.localeCompare(b.key)))

    // Responses that answered a question (a multiple choice or a matrix: any of its choices or rows).
    const answeredOf = (qid: string) => counts.answered.find((a) => a.questionId === qid)?.count ?? 0
    const cellsOf = (qid: string) => counts.cells.filter((c) => c.questionId === qid)
    const question = (q: SurveyQuestion) => {
      const cells = cellsOf(q.id)
      const values = (list: typeof cells): ValueCount[] => list.filter((c) => c.value !== null).map((c) => ({ value: c.value!, count: c.count }))
      const answered = answeredOf(q.id)
      const base = { questionId: q.id, kind: q.kind, label: q.label, labelEn: q.labelEn ?? null, answered, mean: null as number | null, ratings: [] as ValueCount[], choices: [] as Array<{ choiceId: string; label: string; labelEn: string | null; count: number; share: number | null }>, rows: [] as Array<{ rowId: string; label: string; labelEn: string | null; answered: number; mean: number | null; ratings: ValueCount[] }> }
      if (q.kind === 'rating' || q.kind === 'nps') {
        return { ...base, mean: meanOf(values(cells)), ratings: scaleCounts(values(cells), SCALE[q.kind].min, SCALE[q.kind].max) }
      }
      if (q.kind === 'single' || q.kind === 'multiple') {
        const n = answered
        const choices = (q.choices ?? []).map((c) => {
          const count = cells.filter((x) => x.choice === c.id).reduce((a, x) => a + x.count, 0)
          return { choiceId: c.id, label: c.label, labelEn: c.labelEn ?? null, count, share: n ? Math.round((count * 1000) / n) / 10 : null }
        })
        return { ...base, choices }
      }
      if (q.kind === 'matrix') {
        const rows = (q.rows ?? []).map((r) => {
          const v = values(cells.filter((c) => c.rowKey === r.id))
          return { rowId: r.id, label: r.label, labelEn: r.labelEn ?? null, answered: v.reduce((a, c) => a + c.count, 0), mean: meanOf(v), ratings: scaleCounts(v, 1, 5) }
        })
        return { ...base, rows }
      }
      return base
    }

    const sample = await repo.textPage(db, sel, { limit: WORD_SAMPLE })
    return {
      surveyId: s.id, from: f.from ?? null, to: f.to ?? null, period,
      ...([...all.values()][0] ?? empty),
      byStore, byRegion, trend,
      questions: questions.map(question),
      byClass: { rfm: byClass(rfm), lifecycle: byClass(lifecycle), tier: byClass(tier) },
      words: topWords(sample.map((t) => segment(t.text ?? ''))),
      texts,
    }
  }

  const results = async (actor: Actor, s: SurveysTable, f: ResultsFilter) => resultsOf(s, await selectionOf(actor, s, f), f)

  const texts = async (actor: Actor, s: SurveysTable, f: ResultsFilter & { questionId?: string; cursor?: string; limit?: number }) => {
    const sel = await selectionOf(actor, s, f)
    const limit = Math.min(Math.max(f.limit ?? 50, 1), 200)
    let after: { responseId: string; seq: number } | undefined
    if (f.cursor) {
      const [responseId, seq] = f.cursor.split('.')
      if (!responseId || !/^\d+$/.test(seq ?? '')) throw unprocessable('VALIDATION', [{ field: 'cursor', reason: 'not a cursor from this list' }])
      after = { responseId, seq: Number(seq) }
    }
    const rows = await repo.textPage(db, sel, { questionId: f.questionId, after, limit: limit + 1 })
    const names = await storeNamesByIds(db, rows.map((r) => r.store_id))
    const items = rows.slice(0, limit).map((r) => ({
      id: `${r.response_id}.${r.seq}`, responseId: r.response_id, questionId: r.question_id, text: r.text ?? '', storeId: r.store_id, storeName: r.store_id ? (names.get(r.store_id)?.name ?? null) : null,
      memberId: r.member_id, localDate: r.local_date,
    }))
    return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null }
  }

  /** The results (figures by store and period, each question's distribution) and every response, one row each. */
  const exportXlsx = async (actor: Actor, s: SurveysTable, f: ResultsFilter) => {
    const sel = await selectionOf(actor, s, f)
    const r = await resultsOf(s, sel, f)
    const questions = JSON.parse(s.questions) as SurveyQuestion[]
    const book = new ExcelJS.Workbook()
    const summary = book.addWorksheet('汇总 Summary')
    const head = ['范围 Scope', '回复 Responses', 'CSAT %', 'CSAT 均分 mean', 'NPS', '推荐者 Promoters %', '中立者 Passives %', '贬损者 Detractors %']
    const line = (name: string, v: Figures) => [name, v.responses, v.csat.rate ?? '', v.csat.mean ?? '', v.nps.score ?? '', v.nps.promotersPct ?? '', v.nps.passivesPct ?? '', v.nps.detractorsPct ?? '']
    summary.addRow([s.title, f.from ?? '', f.to ?? '']).font = { bold: true }
    summary.addRow(head).font = { bold: true }
    summary.addRow(line('全部 All', r))
    for (const b of r.byStore) summary.addRow(line(b.storeName ?? '（无门店 no store）', b))
    summary.addRow([])
    summary.addRow(['期间 Period', ...head.slice(1)]).font = { bold: true }
    for (const t of r.trend) summary.addRow(line(t.period, t))

    const dist = book.addWorksheet('分布 Distribution')
    dist.addRow(['题目 Question', '选项/行 Option/row', '值 Value', '数量 Count', '占比/均分 Share/mean']).font = { bold: true }
    for (const q of r.questions) {
      for (const c of q.choices) dist.addRow([q.label, c.label, '', c.count, c.share ?? ''])
      for (const b of q.ratings) dist.addRow([q.label, '', b.value, b.count, ''])
      for (const row of q.rows) {
        dist.addRow([q.label, row.label, '', row.answered, row.mean ?? ''])
        for (const b of row.ratings) dist.addRow([q.label, row.label, b.value, b.count, ''])
      }
    }

    const sheet = book.addWorksheet('回复 Responses')
    sheet.addRow(['ID', '提交时间 Submitted', '日期 Date', '门店 Store', '会员卡 Card', '语言 Language', ...questions.map((q) => q.label)]).font = { bold: true }
    const rows = await repo.responsesForExport(db, sel, EXPORT_LIMIT)
    const storeNames = await storeNamesByIds(db, rows.map((x) => x.store_id))
    const cards = await memberSummaries(db, rows.flatMap((x) => (x.member_id ? [x.member_id] : [])))
    for (const row of rows) {
      const answers = JSON.parse(row.answers) as Answer[]
      const shown = questions.map((q) => {
        const a = answers.find((x) => x.questionId === q.id)
        if (!a) return ''
        if (a.value !== undefined) return a.value
        if (a.choiceId !== undefined) return q.choices?.find((c) => c.id === a.choiceId)?.label ?? a.choiceId
        if (a.choiceIds) return a.choiceIds.map((id) => q.choices?.find((c) => c.id === id)?.label ?? id).join('、')
        if (a.rows) return a.rows.map((x) => `${q.rows?.find((o) => o.id === x.rowId)?.label ?? x.rowId} ${x.value}`).join('，')
        return a.text ?? ''
      })
      const store = row.store_id ? storeNames.get(row.store_id) : undefined
      sheet.addRow([row.id, row.submitted_at, row.local_date, store ? `${store.code} ${store.name}` : '', row.member_id ? (cards.get(row.member_id)?.cardNo ?? '') : '', row.language, ...shown])
    }
    const words = book.addWorksheet('高频词 Words')
    words.addRow(['词 Word', '次数 Count']).font = { bold: true }
    for (const w of r.words) words.addRow([w.word, w.count])
    const bytes = Buffer.from(await book.xlsx.writeBuffer())
    return { filename: `survey-${s.id}.xlsx`, bytes }
  }

  return { results, texts, exportXlsx }
}
