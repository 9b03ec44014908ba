import { InvalidArgumentError } from 'commander'
import type { MemberRecommendations, RecommendationModel, RecommendedProduct } from '../../modules/analytics/index.js'
import type { Actor } from '../../shared/actor.js'
import { isDomainError } from '../../shared/errors.js'
import type { Patron } from '../bootstrap.js'
import { wholeNumber, type ReportOutput } from './output.js'

const actor: Actor = { kind: 'system', name: 'cli:analytics-recommend' }


const yuan = (fen: number) => (fen / 100).toFixed(2)

/** A suggestion's reason in words, as the console says it. */
export const reasonText = (r: RecommendedProduct['reason']): string => {
  switch (r.kind) {
    case 'repeat': return `bought on ${r.days} day${r.days === 1 ? '' : 's'} in the last year, last ${r.lastDate}`
    case 'together': return `often bought with ${r.name} (${r.sku})`
    case 'similar': return `members who buy ${r.name} (${r.sku}) buy it too`
    case 'popular': return `the chain's no. ${r.rank} product`
  }
}

const modelText = (m: RecommendationModel) =>
  `model ${m.id} built ${m.builtAt} from the sales of ${m.from} to ${m.to}: ${m.baskets} baskets, ${m.members} members, ${m.products} products, ${m.neighbours} neighbour pairs, ${m.seconds} s`

export const modelOutput = (model: RecommendationModel): ReportOutput => ({
  json: { model },
  tables: [{ title: `Recommendation ${modelText(model)}`, columns: ['baskets', 'members', 'products', 'neighbours', 'seconds'], rows: [[model.baskets, model.members, model.products, model.neighbours, model.seconds]] }],
})

export const suggestionsOutput = (r: MemberRecommendations): ReportOutput => ({
  json: r,
  tables: [{
    title: `Suggestions for member ${r.memberId} on ${r.asOf} (nothing bought in the last ${r.excludeDays} days); ${r.model ? modelText(r.model) : 'no model built yet: from the member\'s own history only'}`,
    columns: ['rank', 'sku', 'product', 'category', 'price', 'member price', 'score', 'why'],
    rows: r.items.map((i, n) => [n + 1, i.sku, i.name, i.category ?? '', yuan(i.listPrice), i.memberPrice === null ? '' : yuan(i.memberPrice), Number(i.score.toFixed(4)), reasonText(i.reason)]),
  }],
})

/**
 * `patron analytics recommend --build [--days N]` builds the recommendation model (as the nightly
 * job does); `patron analytics recommend --member <phone|card|id> [--limit N] [--exclude-days N]
 * [--points-only]` prints a member's suggestions with their reasons.
 */
export const recommendReport = {
  name: 'recommend',
  description: "Build the recommendation model (--build), or print a member's suggested products with the reason for each (--member)",
  options: [
    { flags: '--build', description: "build the model from the last --days days' sales (default 90)" },
    { flags: '--days <n>', description: 'with --build: learn from the sales of the last N days' },
    { flags: '--member <key>', description: 'the member: phone, card number or member id' },
    { flags: '--limit <n>', description: 'suggestions (default 10, at most 50)' },
    { flags: '--exclude-days <n>', description: 'nothing the member bought in the last N days (default 7)' },
    { flags: '--points-only', description: 'points-eligible products only (a points offer)' },
  ],
  async run(patron: Patron, opts: { [key: string]: unknown }): Promise<ReportOutput> {
    const { recommendations, members, db } = patron.services
    if (opts.build === true) {
      if (opts.member !== undefined) throw new InvalidArgumentError('give --build or --member, not both')
      const days = wholeNumber('--days', opts.days, 1, 3660)
      return modelOutput(await recommendations.build(actor, days === undefined ? {} : { days }))
    }
    if (typeof opts.member !== 'string' || opts.member.trim() === '') throw new InvalidArgumentError('give --member <phone|card|id>, or --build')
    const key = opts.member.trim()
    // A key not shaped as a phone (or a card number) is refused by that lookup: it is then not one.
    const find = (input: { id?: string; phone?: string; cardNo?: string }) => members.internals.resolve(db, input).catch((e: unknown) => {
      if (isDomainError(e)) return undefined
      throw e
    })
    const member = (await find({ id: key })) ?? (await find({ phone: key })) ?? (await find({ cardNo: key }))
    if (!member) throw new InvalidArgumentError(`--member ${key}: no member has this id, phone or card number`)
    const limit = wholeNumber('--limit', opts.limit, 1, 50)
    const excludeDays = wholeNumber('--exclude-days', opts.excludeDays, 0, 365)
    return suggestionsOutput(await recommendations.forMember(actor, member.id, {
      ...(limit !== undefined ? { limit } : {}), ...(excludeDays !== undefined ? { excludeDays } : {}), pointsOnly: opts.pointsOnly === true,
    }))
  },
}
