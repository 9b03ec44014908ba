// Satisfaction figures from counted answers: pure, so each definition is tested alone and the
// SQL only counts. The definitions (the README takes them from here):
//
// - CSAT (customer satisfaction): over the answers to rating questions (1–5), the share that are
//   4 or 5, in percent with one decimal; its mean is the average rating, two decimals. A survey
//   with several rating questions counts every rating answer. Matrix rows are reported per row
//   (their own mean and distribution), not in CSAT.
// - NPS (net promoter score): over the answers to 0–10 recommendation questions, promoters 9–10,
//   passives 7–8, detractors 0–6; NPS = % promoters − % detractors (−100…100, one decimal), with
//   the three shares.
// - Responses: the responses in the selection (a response answers one or more questions).
// - Periods: a response's local date (the chain's zone) at submission; a week starts on Monday and
//   is named by that Monday, a month by YYYY-MM.
// - Member class: the member's RFM class, lifecycle stage and tier as they stand now (the insight
//   tables, refreshed nightly), not as they were when the member answered.
// - Words: the free-text answers segmented with jieba; punctuation, numbers, single characters and
//   a short list of stop words dropped; counted by occurrence.

export interface ValueCount { value: number; count: number }

export interface Csat { answers: number; satisfied: number; rate: number | null; mean: number | null }
export interface Nps {
  answers: number; promoters: number; passives: number; detractors: number
  promotersPct: number | null; passivesPct: number | null; detractorsPct: number | null; score: number | null
}

const round = (v: number, places: number) => {
  const f = 10 ** places
  return Math.round(v * f + (v >= 0 ? 1e-9 : -1e-9)) / f
}
const pct = (part: number, whole: number) => (whole ? round((part * 100) / whole, 1) : null)

export const csatOf = (counts: readonly ValueCount[]): Csat => {
  let answers = 0; let satisfied = 0; let sum = 0
  for (const { value, count } of counts) {
    answers += count
    sum += value * count
    if (value >= 4) satisfied += count
  }
  return { answers, satisfied, rate: pct(satisfied, answers), mean: answers ? round(sum / answers, 2) : null }
}

export const npsOf = (counts: readonly ValueCount[]): Nps => {
  let promoters = 0; let passives = 0; let detractors = 0
  for (const { value, count } of counts) {
    if (value >= 9) promoters += count
    else if (value >= 7) passives += count
    else detractors += count
  }
  const answers = promoters + passives + detractors
  return {
    answers, promoters, passives, detractors, promotersPct: pct(promoters, answers), passivesPct: pct(passives, answers), detractorsPct: pct(detractors, answers),
    // From the counts, not the rounded shares, so the score is not off by a rounding.
    score: answers ? round(((promoters - detractors) * 100) / answers, 1) : null,
  }
}

export const meanOf = (counts: readonly ValueCount[]): number | null => {
  const n = counts.reduce((a, c) => a + c.count, 0)
  return n ? round(counts.reduce((a, c) => a + c.value * c.count, 0) / n, 2) : null
}

/** Counts for every value of a scale, zeros included (the charts' x axis). */
export const scaleCounts = (counts: readonly ValueCount[], min: number, max: number): ValueCount[] =>
  Array.from({ length: max - min + 1 }, (_, i) => ({ value: min + i, count: counts.filter((c) => c.value === min + i).reduce((a, c) => a + c.count, 0) }))

/** The period a local date falls in: YYYY-MM, or the Monday (YYYY-MM-DD) of its week. */
export const periodOf = (localDate: string, period: 'week' | 'month'): string => {
  if (period === 'month') return localDate.slice(0, 7)
  const d = new Date(`${localDate}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7))
  return d.toISOString().slice(0, 10)
}

/** Words too common to tell anything (the rest of the noise goes by length and punctuation). */
export const STOP_WORDS = new Set([
  '的', '了', '和', '是', '在', '我', '也', '就', '都', '很', '还', '有', '没有', '不', '太', '可以', '希望', '一个', '一些', '这个', '那个', '我们', '你们',
  '他们', '比较', '非常', '觉得', '感觉', '但是', '而且', '因为', '所以', '如果', '然后', '还是', '还有', '就是', '时候', '什么', '这样', '这里', '那里',
  '一下', '一点', '有点', '东西', '真的', '已经', '问题', '建议', '没', '会', '能', '要', '让', '把', '被', '给', '对', '吗', '呢', '吧', '啊',
  'the', 'and', 'for', 'with', 'that', 'this', 'was', 'are', 'not', 'but', 'very', 'too',
])

const isWord = (w: string) => {
  const t = w.trim()
  if ([...t].length < 2) return false
  // Punctuation, symbols and numbers are not words.
  if (!/[\p{L}]/u.test(t)) return false
  return !STOP_WORDS.has(t.toLowerCase())
}

/** The most frequent words of segmented texts (each text already cut into words). */
export const topWords = (segmented: readonly (readonly string[])[], limit = 50): Array<{ word: string; count: number }> => {
  const counts = new Map<string, number>()
  for (const words of segmented) {
    for (const raw of words) {
      if (!isWord(raw)) continue
      const w = raw.trim().toLowerCase()
      counts.set(w, (counts.get(w) ?? 0) + 1)
    }
  }
  return [...counts].map(([word, count]) => ({ word, count }))
    .sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
    .slice(0, limit)
}
