/**
 * The one table that decides who may do what in a room. Every domain action that needs a role
 * asks `authorize` here; nothing else compares roles. Actions on another member also require
 * the actor to outrank the target, so admins cannot act on the owner or on other admins.
 */
import type { Role } from '../../shared/schemas.ts';
import { AppError } from '../errors.ts';

const RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1, bot: 1 };

interface Rule {
  roles: readonly Role[];
  /** The action targets another member, whom the actor must outrank. */
  onMember?: boolean;
  /** Shown in the FORBIDDEN message. */
  description: string;
}

const STAFF = ['owner', 'admin'] as const;
const EVERYONE = ['owner', 'admin', 'member', 'bot'] as const;

export const PERMISSIONS = {
  'room.configure': { roles: STAFF, description: 'change room settings' },
  'room.dissolve': { roles: ['owner'], description: 'dissolve the room' },
  'room.keepImageOriginals': { roles: ['owner'], description: 'let photos keep their location and other metadata' },
  'room.forwarding': { roles: ['owner'], description: 'choose whether members may forward messages out of the room' },
  'room.transfer': { roles: ['owner'], onMember: true, description: 'transfer ownership' },
  'admin.appoint': { roles: ['owner'], onMember: true, description: 'appoint admins' },
  'admin.dismiss': { roles: ['owner'], onMember: true, description: 'remove admins' },
  'member.mute': { roles: STAFF, onMember: true, description: 'mute members' },
  'member.kick': { roles: STAFF, onMember: true, description: 'remove members' },
  'member.ban': { roles: STAFF, onMember: true, description: 'ban members' },
  'member.unban': { roles: STAFF, description: 'unban users' },
  'room.muteAll': { roles: STAFF, description: 'mute everyone' },
  'room.slowMode': { roles: STAFF, description: 'set slow mode' },
  'joinRequest.decide': { roles: STAFF, description: 'approve or reject join requests' },
  'invite.create': { roles: STAFF, description: 'create invite links' },
  'invite.createAsMember': { roles: EVERYONE, description: 'create invite links' },
  'invite.revoke': { roles: STAFF, description: 'revoke invite links' },
  'message.recallOwn': { roles: EVERYONE, description: 'recall your own messages' },
  'message.recallAny': { roles: STAFF, onMember: true, description: "recall other members' messages" },
  'message.viewRecalled': { roles: STAFF, description: 'see recalled messages' },
  'message.viewEdits': { roles: STAFF, description: 'see earlier versions of edited messages' },
  'message.mentionAll': { roles: STAFF, description: 'mention @all' },
  'message.speakDuringMuteAll': { roles: STAFF, description: 'speak while everyone is muted' },
  'message.skipSlowMode': { roles: STAFF, description: 'skip slow mode' },
  'message.pin': { roles: STAFF, description: 'pin messages' },
  'announcement.post': { roles: STAFF, description: 'post announcements' },
  'announcement.viewReads': { roles: STAFF, description: 'see who read the announcement' },
  'audit.read': { roles: STAFF, description: 'read the audit log' },
  'room.export': { roles: STAFF, description: "export the room's history" },
  'review.decide': { roles: STAFF, description: 'review held messages and reports' },
  'bot.manage': { roles: STAFF, description: 'add bots and incoming webhooks to the room' },
  // A bot may schedule posts too (its token's scopes are checked as well).
  'schedule.manage': { roles: ['owner', 'admin', 'bot'], description: 'schedule posts' },
  // Community life: closing someone else's 接龙 or poll, and everything about meetups and rules.
  'community.manage': { roles: STAFF, description: "close other members' sign-up lists and polls" },
  'event.create': { roles: STAFF, description: 'create meetups' },
  'event.manage': { roles: STAFF, description: 'cancel meetups and see who got home safe' },
  // Only where the room lets members (membersProposeEvents); staff create meetups outright.
  'event.propose': { roles: ['member'], description: 'propose meetups for staff approval' },
  'event.review': { roles: STAFF, description: 'approve or reject proposed meetups' },
  'rules.set': { roles: STAFF, description: 'set the room rules' },
  'checklist.set': { roles: ['owner'], description: 'add lines to the meeting-safety checklist' },
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof PERMISSIONS;

export function can(actor: Role, action: Action, target?: Role): boolean {
  const rule: Rule = PERMISSIONS[action];
  if (!rule.roles.includes(actor)) return false;
  if (rule.onMember && target !== undefined && RANK[actor] <= RANK[target]) return false;
  return true;
}

/** Throws FORBIDDEN (with the action in details) unless the table allows it. */
export function authorize(actor: Role, action: Action, target?: Role): void {
  if (can(actor, action, target)) return;
  const rule: Rule = PERMISSIONS[action];
  const why = rule.roles.includes(actor) ? `you cannot ${rule.description} for a ${target}` : `only ${rule.roles.join(' or ')} may ${rule.description}`;
  throw new AppError('FORBIDDEN', `Not allowed: ${why}`, { action, role: actor, ...(target ? { targetRole: target } : {}) });
}

export function isStaff(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}
