import { Type } from 'typebox'
import { actorOf, type TypedApp } from '../../../shared/http/request.js'
import { IdParams, Nullable, errors } from '../../../shared/http/schemas.js'
import type { ProfileService } from '../profile/profile.service.js'
import {
  AttachBody, CountsQuery, CountsSchema, CreateTagBody, EventsQuery, ListTagsQuery, MemberParams, MemberTagParams, MemberTagSchema, ProfileSchema,
  RuleTestSchema, TagEventSchema, TagSchema, TestRuleBody, UpdateTagBody, WordsSchema,
} from './tags.schemas.js'
import type { TagsService } from './tags.service.js'

const tagsTag = ['insight']
const membersTag = ['members']

export const tagsRoutes = (app: TypedApp, { tags, profiles }: { tags: TagsService; profiles: ProfileService }) => {
  app.addSchema(WordsSchema)
  app.addSchema(TagSchema)
  app.addSchema(MemberTagSchema)
  const Tag = Type.Ref('Tag')
  const MemberTag = Type.Ref('MemberTag')

  app.get('/insight/tags', {
    schema: { tags: tagsTag, summary: 'Tags with the members holding each now and their counts over the last 30 days (one store when asked; store roles: their store)', querystring: ListTagsQuery, response: { 200: Type.Array(Tag), ...errors(400, 401, 403) } },
    config: { permission: 'insight.read' },
  }, async (req) => tags.list(actorOf(req), req.query))

  app.post('/insight/tags', {
    schema: { tags: tagsTag, summary: 'Define a tag: a rule tag (evaluated at once and at every insight refresh) or a manual tag staff attach (audited)', body: CreateTagBody, response: { 201: Tag, ...errors(400, 401, 403, 409, 422) } },
    config: { permission: 'insight.manage' },
  }, async (req, reply) => reply.code(201).send(await tags.create(actorOf(req), req.body)))

  app.post('/insight/tags/test', {
    schema: { tags: tagsTag, summary: 'Test a rule without saving it: how many members match now and a masked sample with each one\'s reason', body: TestRuleBody, response: { 200: RuleTestSchema, ...errors(400, 401, 403, 422) } },
    config: { permission: 'insight.read' },
  }, async (req) => tags.testRule(actorOf(req), req.body.rule))

  app.get('/insight/tags/counts', {
    schema: { tags: tagsTag, summary: 'Members per tag per day, as each full insight refresh counted them (the chain, one store when asked; store roles: their store)', querystring: CountsQuery, response: { 200: CountsSchema, ...errors(400, 401, 403, 404, 422) } },
    config: { permission: 'insight.read' },
  }, async (req) => tags.counts(actorOf(req), req.query))

  app.get('/insight/tags/manual', {
    schema: { tags: tagsTag, summary: 'The active manual tags, for staff who attach them to members', response: { 200: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), color: Nullable(Type.String()), description: Nullable(Type.String()) })), ...errors(401, 403) } },
    config: { permission: 'tags.assign' },
  }, async (req) => tags.manualTags(actorOf(req)))

  app.get('/insight/tags/:id', {
    schema: { tags: tagsTag, summary: 'A tag, its rule in words, members now and the trend', params: IdParams, response: { 200: Tag, ...errors(401, 403, 404) } },
    config: { permission: 'insight.read' },
  }, async (req) => tags.get(actorOf(req), req.params.id))

  app.patch('/insight/tags/:id', {
    schema: { tags: tagsTag, summary: 'Change a tag: name, description, colour, rule (re-evaluated at once) or status (archiving removes it from every member); audited', params: IdParams, body: UpdateTagBody, response: { 200: Tag, ...errors(400, 401, 403, 404, 409, 422) } },
    config: { permission: 'insight.manage' },
  }, async (req) => tags.update(actorOf(req), req.params.id, req.body))

  app.get('/members/:id/profile', {
    schema: { tags: membersTag, summary: 'A member\'s profile: tags with reasons, RFM class and scores, quadrant, lifecycle, frequency and amount class, main store and preferences, spend per department and the window\'s figures', params: MemberParams, response: { 200: ProfileSchema, ...errors(401, 403, 404) } },
    config: { permission: 'members.read' },
  }, async (req) => profiles.profileOf(actorOf(req), req.params.id))

  app.get('/members/:id/tags', {
    schema: { tags: membersTag, summary: 'The tags a member holds now, with why and since when', params: MemberParams, response: { 200: Type.Array(MemberTag), ...errors(401, 403, 404) } },
    config: { permission: 'members.read' },
  }, async (req) => tags.memberTags(actorOf(req), req.params.id))

  app.post('/members/:id/tags', {
    schema: { tags: membersTag, summary: 'Attach a manual tag to a member (store roles: their store\'s members; audited); answers the member\'s tags', params: MemberParams, body: AttachBody, response: { 201: Type.Array(MemberTag), ...errors(400, 401, 403, 404, 409, 422) } },
    config: { permission: 'tags.assign' },
  }, async (req, reply) => reply.code(201).send(await tags.attach(actorOf(req), req.params.id, req.body)))

  app.delete('/members/:id/tags/:tagId', {
    schema: { tags: membersTag, summary: 'Remove a manual tag from a member (store roles: their store\'s members; audited)', params: MemberTagParams, response: { 204: Type.Null(), ...errors(401, 403, 404, 409) } },
    config: { permission: 'tags.assign' },
  }, async (req, reply) => {
    await tags.detach(actorOf(req), req.params.id, req.params.tagId)
    return reply.code(204).send(null)
  })

  app.get('/members/:id/tag-events', {
    schema: { tags: membersTag, summary: 'When a member gained and lost tags, newest first, with the reasons', params: MemberParams, querystring: EventsQuery, response: { 200: Type.Array(TagEventSchema), ...errors(400, 401, 403, 404) } },
    config: { permission: 'members.read' },
  }, async (req) => tags.memberEvents(actorOf(req), req.params.id, req.query.limit))
}
