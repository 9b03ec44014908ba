import type { Schemas } from '../../../api/client.js'

export type Ticket = Schemas['Ticket']
export type TicketDetail = Schemas['TicketDetail']
export type TicketEvent = Schemas['TicketEvent']
export type Team = Schemas['ServiceTeam']
export type Category = Schemas['ServiceCategory']
export type SlaPolicy = Schemas['SlaPolicy']
export type DeskSettings = Schemas['ServiceSettings']
export type Severity = Ticket['severity']
export type TicketStatus = Ticket['status']
export type Queue = 'mine' | 'team' | 'unassigned' | 'due_soon' | 'overdue' | 'all'

export const QUEUES: Queue[] = ['mine', 'team', 'unassigned', 'due_soon', 'overdue', 'all']
export const SEVERITIES: Severity[] = ['low', 'normal', 'high', 'critical']
export const STATUSES: TicketStatus[] = ['new', 'assigned', 'in_progress', 'resolved', 'closed']
export const CHANNELS = ['desk', 'phone', 'till'] as const
export const CONTACT_PREFS = ['phone', 'sms', 'email', 'wechat', 'none'] as const
export const REPLY_CHANNELS = ['phone', 'sms', 'email', 'wechat', 'in_person'] as const
