import { Type } from 'typebox'
import { Nullable } from '../../../shared/http/schemas.js'
import { ChannelSchema } from '../channels/channels.schemas.js'
import { CHANNELS } from '../channels/channels.table.js'
import { CONDITION_CHECKS, MAX_STEPS, TAG_ACTIONS } from './journey-rules.js'
import { ENROLMENT_STATUSES, EXIT_REASONS, JOURNEY_STATUSES, STEP_OUTCOMES, STEP_TYPES, TRIGGER_TYPES } from './journeys.table.js'

// The journeys' contract. A trigger and a step are each one object with a `type` and the fields
// of that type (the others absent or null); the service checks them whole and answers 422 with
// every problem's field (`trigger.daysBefore`, `steps.2.ifFalse`, `steps.1.templateIds.sms`).

const Id = Type.String({ minLength: 1, maxLength: 64 })
const Status = Type.Enum([...JOURNEY_STATUSES])
const StepIndex = Type.Integer({ minimum: 0, maximum: MAX_STEPS })

const TriggerFields = {
  type: Type.Enum([...TRIGGER_TYPES], {
    description: 'registered: a member registers (not an import); first_purchase: their first receipt; birthday: daysBefore their birthday (daily); '
      + 'lifecycle: they enter a stage (daily, after the insight refresh); points_expiring: a lot of their points expires in daysAhead days (daily); '
      + 'tier_upgrade: they move up a tier (to tierCode, or any); tag_added: they are given a tag; date: on a date, every active member or a segment\'s (daily)',
  }),
  daysBefore: Type.Optional(Type.Integer({ minimum: 0, maximum: 366, description: 'birthday: days before it (0: on the day)' })),
  stage: Type.Optional(Type.String({ maxLength: 32, description: 'lifecycle: new, active, dormant (沉睡), lost, returning or prospect' })),
  daysAhead: Type.Optional(Type.Integer({ minimum: 0, maximum: 366, description: 'points_expiring: days before the points\' last day' })),
  tierCode: Type.Optional(Nullable(Type.String({ maxLength: 32, description: 'tier_upgrade: only upgrades to this tier (null: any)' }))),
  tagId: Type.Optional(Nullable(Id)),
  date: Type.Optional(Type.String({ maxLength: 10, description: 'date: the local date YYYY-MM-DD' })),
  segmentId: Type.Optional(Nullable(Id)),
}
export const TriggerBody = Type.Object(TriggerFields, { additionalProperties: false })
export const TriggerSchema = Type.Object(TriggerFields, { $id: 'JourneyTrigger' })

const StepFields = {
  type: Type.Enum([...STEP_TYPES], {
    description: 'wait: days and hours; condition: check → ifTrue / ifFalse (step numbers); send: a message on the first channel the member agreed to and can be reached on; '
      + 'coupon: a coupon of a template (the next message names it); tag: add or remove a manual tag; end',
  }),
  days: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, description: 'wait' })),
  hours: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: 'wait' })),
  check: Type.Optional(Type.Enum([...CONDITION_CHECKS], { description: 'condition: bought_since_entry (a sale since the member entered), has_tag (tagId), in_segment (segmentId)' })),
  tagId: Type.Optional(Nullable(Id)),
  segmentId: Type.Optional(Nullable(Id)),
  ifTrue: Type.Optional(StepIndex),
  ifFalse: Type.Optional(StepIndex),
  channels: Type.Optional(Type.Array(ChannelSchema, { maxItems: CHANNELS.length, description: 'send: in order of preference' })),
  templateIds: Type.Optional(Type.Object(Object.fromEntries(CHANNELS.map((c) => [c, Type.Optional(Id)])), { additionalProperties: false, description: 'send: a marketing template per channel chosen' })),
  couponTemplateId: Type.Optional(Id),
  action: Type.Optional(Type.Enum([...TAG_ACTIONS], { description: 'tag' })),
  next: Type.Optional(Nullable(StepIndex)),
}
export const StepBody = Type.Object(StepFields, { additionalProperties: false, description: 'steps are numbered from 0; a step goes on to the next one, or to `next` (a later step); the last one ends the journey' })
export const StepSchema = Type.Object(StepFields, { $id: 'JourneyStep' })

const Counts = Type.Object({ active: Type.Integer(), done: Type.Integer(), exited: Type.Integer() })

const JourneyFields = {
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  status: Status,
  version: Type.Integer({ description: 'the current version: members entering now get it' }),
  revision: Type.Integer({ description: 'send it back with a change (409 JOURNEY_REVISION if the journey changed since)' }),
  trigger: Type.Ref('JourneyTrigger'),
  steps: Type.Array(Type.Ref('JourneyStep')),
  activeSince: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedBy: Nullable(Type.String()),
  updatedAt: Type.String(),
  members: Counts,
}
export const JourneySchema = Type.Object(JourneyFields, { $id: 'Journey' })

const StepStatsSchema = Type.Object({
  index: Type.Integer(),
  type: Type.Enum([...STEP_TYPES]),
  at: Type.Integer({ description: 'members waiting at the step now' }),
  done: Type.Integer({ description: 'members who passed the step' }),
  exited: Type.Integer({ description: 'members who left the journey at the step' }),
  outcomes: Type.Object(Object.fromEntries(STEP_OUTCOMES.map((o) => [o, Type.Optional(Type.Integer())])), { description: 'what the step did, counted' }),
})

export const JourneyDetailSchema = Type.Object({
  ...JourneyFields,
  versions: Type.Array(Type.Object({
    version: Type.Integer(),
    trigger: Type.Ref('JourneyTrigger'),
    steps: Type.Array(Type.Ref('JourneyStep')),
    createdBy: Nullable(Type.String()),
    createdAt: Type.String(),
    members: Counts,
    stats: Type.Array(StepStatsSchema),
  }), { description: 'newest first' }),
})

export const JourneyBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  trigger: TriggerBody,
  steps: Type.Array(StepBody, { minItems: 1, maxItems: MAX_STEPS }),
}, { additionalProperties: false })

export const JourneyPatchBody = Type.Object({
  revision: Type.Integer({ description: 'the revision read' }),
  name: Type.Optional(JourneyBody.properties.name),
  description: JourneyBody.properties.description,
  trigger: Type.Optional(TriggerBody),
  steps: Type.Optional(JourneyBody.properties.steps),
}, { additionalProperties: false })

export const JourneysQuery = Type.Object({
  status: Type.Optional(Status),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
})

export const JourneyMembersQuery = Type.Object({
  status: Type.Optional(Type.Enum([...ENROLMENT_STATUSES])),
  version: Type.Optional(Type.Integer({ minimum: 1 })),
  step: Type.Optional(StepIndex),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
})

export const JourneyMemberSchema = Type.Object({
  enrolmentId: Type.String(),
  memberId: Type.String(),
  cardNo: Nullable(Type.String()),
  name: Nullable(Type.String({ description: 'masked' })),
  version: Type.Integer(),
  occurrence: Type.String({ description: "'' for a trigger that happens once; else which time (a birthday's year, an expiry date)" }),
  step: Type.Integer({ description: 'the step the member is at (done: the last step done)' }),
  status: Type.Enum([...ENROLMENT_STATUSES]),
  exitReason: Nullable(Type.Enum([...EXIT_REASONS])),
  nextAt: Nullable(Type.String({ description: 'when the step is due' })),
  enteredAt: Type.String(),
  updatedAt: Type.String(),
})

export const MemberJourneySchema = Type.Object({
  enrolmentId: Type.String(),
  journeyId: Type.String(),
  name: Type.String(),
  version: Type.Integer(),
  occurrence: Type.String(),
  step: Type.Integer(),
  stepType: Nullable(Type.Enum([...STEP_TYPES])),
  status: Type.Enum([...ENROLMENT_STATUSES]),
  exitReason: Nullable(Type.Enum([...EXIT_REASONS])),
  nextAt: Nullable(Type.String()),
  enteredAt: Type.String(),
  updatedAt: Type.String(),
  steps: Type.Array(Type.Object({
    index: Type.Integer(),
    type: Type.Enum([...STEP_TYPES]),
    outcome: Nullable(Type.Enum([...STEP_OUTCOMES])),
    doneAt: Nullable(Type.String()),
    channel: Nullable(Type.String()),
    messageId: Nullable(Type.String()),
    couponId: Nullable(Type.String()),
  }), { description: 'the steps done, in order' }),
})
