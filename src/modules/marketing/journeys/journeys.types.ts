import type { Db, Engine, Trx } from '../../../db/database.js'
import type { Actor } from '../../../shared/actor.js'
import type { Clock } from '../../../shared/clock.js'
import type { AuditService } from '../../audit/index.js'
import type { Channel } from '../channels/channels.table.js'
import type { DeliverInput, Message } from '../channels/index.js'
import type { Values } from '../templates/template-rules.js'
import type { Step, Trigger } from './journey-rules.js'
import type { EnrolmentStatus, ExitReason, JourneyStatus, StepOutcome, StepType } from './journeys.table.js'

/** The pressure settings the campaigns keep (every campaign and journey counted alike). */
export interface PressureSettings {
  /** at most this many marketing messages per member in `capDays` days; 0: no cap */
  capCount: number
  capDays: number
  /** local times 'HH:MM': a message due inside waits for the end */
  quietStart: string
  quietEnd: string
}

export interface RenderedMessage { subject: string | null; body: string; templateCode: string | null; params: Record<string, string> | null }

/** What the journeys need of other modules, handed in by services.ts. */
export interface JourneysDeps {
  db: Db
  engine: Engine
  clock: Clock
  timezone: string
  audit: AuditService
  enqueue: (trx: Db | Trx, name: string, payload: unknown, options?: { runAt?: string; key?: string }) => Promise<string | null>
  settings: () => Promise<PressureSettings>
  /** what a definition names, as the actor may see it (each throws its own 404) */
  template: (actor: Actor, id: string) => Promise<{ id: string; channel: Channel; purpose: string; status: string }>
  couponTemplate: (actor: Actor, id: string) => Promise<{ id: string; status: string }>
  segment: (actor: Actor, id: string) => Promise<{ id: string; status: string }>
  tierCodes: () => Promise<string[]>
  /** the member's values for a message, in clear (the member's own message) */
  memberValues: (memberId: string) => Promise<Values>
  couponValues: (couponTemplateId: string) => Promise<Values>
  render: (templateId: string, values: Values, memberId: string) => Promise<RenderedMessage>
  /** a coupon by its issue key: the same key gives the same coupon (with its last day, when known) */
  issueCoupon: (input: { templateId: string; memberId: string; issueKey: string }) => Promise<{ id: string; code: string; validTo?: string | null }>
  deliver: (trx: Trx | null, input: DeliverInput) => Promise<Message>
  /** a manual tag added to (removed from) a member; already held (not held): nothing */
  attachTag: (memberId: string, tagId: string) => Promise<void>
  detachTag: (memberId: string, tagId: string) => Promise<void>
}

export interface JourneyInput {
  name: string
  description?: string | null
  trigger: unknown
  steps: unknown
}

export interface MemberCounts { active: number; done: number; exited: number }

export interface JourneyView {
  id: string
  name: string
  description: string | null
  status: JourneyStatus
  /** the current version: the one members enter now */
  version: number
  /** the change counter a change carries (409 if the journey changed since it was read) */
  revision: number
  trigger: Trigger
  steps: Step[]
  activeSince: string | null
  createdBy: string | null
  createdAt: string
  updatedBy: string | null
  updatedAt: string
  /** every version's members */
  members: MemberCounts
}

export interface StepStats {
  index: number
  type: StepType
  /** members waiting at the step now */
  at: number
  /** members who passed the step */
  done: number
  /** members who left the journey at the step */
  exited: number
  /** what the step did, counted */
  outcomes: Partial<Record<StepOutcome, number>>
}

export interface VersionView {
  version: number
  trigger: Trigger
  steps: Step[]
  createdBy: string | null
  createdAt: string
  members: MemberCounts
  stats: StepStats[]
}

export interface JourneyDetail extends JourneyView {
  versions: VersionView[]
}

export interface JourneyMemberView {
  enrolmentId: string
  memberId: string
  cardNo: string | null
  name: string | null
  version: number
  occurrence: string
  step: number
  status: EnrolmentStatus
  exitReason: ExitReason | null
  nextAt: string | null
  enteredAt: string
  updatedAt: string
}

export interface MemberJourneyView {
  enrolmentId: string
  journeyId: string
  name: string
  version: number
  occurrence: string
  step: number
  stepType: StepType | null
  status: EnrolmentStatus
  exitReason: ExitReason | null
  nextAt: string | null
  enteredAt: string
  updatedAt: string
  /** the steps done, in order */
  steps: Array<{ index: number; type: StepType; outcome: StepOutcome | null; doneAt: string | null; channel: string | null; messageId: string | null; couponId: string | null }>
}
