import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { LANGUAGES, resources } from '../../i18n/index.js'
import { jobLabel, lagParts } from './job-words.js'

describe('lagParts', () => {
  it.each([
    [0, null],
    [-5, null],
    [1, { unit: 'seconds', count: 1 }],
    [119, { unit: 'seconds', count: 119 }],
    [120, { unit: 'minutes', count: 2 }],
    [7199, { unit: 'minutes', count: 119 }],
    [7200, { unit: 'hours', count: 2 }],
    [172_799, { unit: 'hours', count: 47 }],
    [172_800, { unit: 'days', count: 2 }],
  ])('%i s → %j', (seconds, parts) => {
    expect(lagParts(seconds)).toEqual(parts)
  })
})

describe('jobLabel', () => {
  const instance = i18next.createInstance()
  beforeAll(async () => {
    await instance.init({ lng: 'zh-CN', resources, ns: Object.keys(resources['zh-CN']), defaultNS: 'common', interpolation: { escapeValue: false } })
  })

  it.each(LANGUAGES.map((l) => [l]))('names every job the server declares in %s, and shows an unknown one as it is', (lng) => {
    const t = instance.getFixedT(lng, 'jobs')
    for (const name of ['jobs.prune', 'login-throttle.prune', 'points.expire', 'points.expiring-notice', 'tiers.evaluate', 'coupons.expire', 'coupons.welcome', 'coupons.issueWelcome', 'gift-orders.expire', 'analytics.refreshInsight', 'analytics.refreshKpis', 'analytics.scoreClv', 'analytics.mineRules', 'analytics.buildRecommendations', 'analytics.forecastSales', 'analytics.checkClv', 'campaigns.start', 'campaigns.send', 'journeys.advance', 'journeys.enrolRegistered', 'journeys.enrolFirstPurchase', 'journeys.enrolTierUpgrade', 'journeys.enrolBirthdays', 'journeys.enrolPointsExpiring', 'journeys.enrolDates', 'journeys.enrolLifecycle', 'journeys.enrolTagged']) {
      expect(jobLabel(t, name), name).not.toBe(name)
    }
    expect(jobLabel(t, 'no-such.job')).toBe('no-such.job')
  })
})
