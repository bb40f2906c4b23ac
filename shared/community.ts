/**
 * Community life on the wire (docs/protocol.md, "Community"): 接龙 sign-up lists, polls, meetups
 * and the room's must-read rules. Each item is a message in the timeline (its `kind` says which,
 * its `data` carries the item as everyone may see it, kept current in history); every later change
 * travels on the change feed with the whole item again, so a client replaces what it holds.
 * What only some may see (a meetup's exact place, who voted what) is never in either.
 */
import { Type, type Static } from 'typebox';
import { Attachment, MAX_ATTACHMENTS } from './attachments.ts';
import { Id, Seq, Timestamp } from './primitives.ts';

const Person = Type.Object({ id: Id, displayName: Type.String() });

// Limits a client may check before asking (the server checks them again).
export const MAX_TITLE_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 4000;
export const MAX_ENTRY_LENGTH = 200;
export const MAX_SIGNUP_CAPACITY = 10_000;
export const MIN_POLL_OPTIONS = 2;
export const MAX_POLL_OPTIONS = 20;
export const MAX_OPTION_LENGTH = 100;
export const MAX_RULES_LENGTH = 8000;
export const MAX_CHECKLIST_LINES = 10;

const Title = Type.String({ minLength: 1, maxLength: MAX_TITLE_LENGTH });

// ---- 接龙 sign-up lists ----

export const SignupEntry = Type.Object({
  position: Type.Integer({ minimum: 1, description: 'Dense 1..n in append order; renumbered when a line is taken out' }),
  user: Person,
  text: Type.String(),
  addedAt: Timestamp,
});
export type SignupEntry = Static<typeof SignupEntry>;

export const Signup = Type.Object({
  id: Id,
  roomId: Id,
  messageId: Id,
  title: Type.String(),
  template: Type.Union([Type.String(), Type.Null()], { description: 'An example line shown to people adding themselves, e.g. "name + how many"' }),
  capacity: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'null: no limit' }),
  closesAt: Type.Union([Timestamp, Type.Null()]),
  closedAt: Type.Union([Timestamp, Type.Null()], { description: 'Closed by its author or staff (or closesAt passed: then closed is true, closedAt null)' }),
  closed: Type.Boolean(),
  createdBy: Person,
  entries: Type.Array(SignupEntry, { description: 'Every line, by position' }),
  createdAt: Timestamp,
});
export type Signup = Static<typeof Signup>;

export const CreateSignupBody = Type.Object(
  {
    title: Title,
    capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SIGNUP_CAPACITY })),
    closesAt: Type.Optional(Timestamp),
    template: Type.Optional(Type.String({ maxLength: MAX_ENTRY_LENGTH })),
  },
  { additionalProperties: false },
);
export type CreateSignupBody = Static<typeof CreateSignupBody>;
export const SignupEntryBody = Type.Object({ text: Type.Optional(Type.String({ maxLength: MAX_ENTRY_LENGTH })) }, { additionalProperties: false });
export const EditSignupEntryBody = Type.Object({ text: Type.String({ maxLength: MAX_ENTRY_LENGTH }) }, { additionalProperties: false });
export const SignupResponse = Type.Object({ signup: Signup });
export const SignupEntryResponse = Type.Object({ entry: SignupEntry, signup: Signup });
export const HeldSignupEntry = Type.Object({
  user: Person,
  text: Type.String(),
  reasons: Type.Array(Type.Object({ code: Type.String(), message: Type.String() }), { description: 'Why the safety rules held it' }),
  addedAt: Timestamp,
});
export const HeldSignupEntriesResponse = Type.Object({ held: Type.Array(HeldSignupEntry, { description: 'Lines waiting for review, oldest first' }) });
export type HeldSignupEntriesResponse = Static<typeof HeldSignupEntriesResponse>;

// ---- Polls ----

export const PollOption = Type.Object({ id: Type.String({ description: 'Stable within the poll: "1", "2", …' }), text: Type.String(), votes: Type.Integer({ minimum: 0 }) });
export const Poll = Type.Object({
  id: Id,
  roomId: Id,
  messageId: Id,
  question: Type.String(),
  options: Type.Array(PollOption, { description: 'In the order given, with the live tally' }),
  multiple: Type.Boolean({ description: 'A voter may choose several options' }),
  anonymous: Type.Boolean({ description: 'No one, staff included, can read who voted what' }),
  voters: Type.Integer({ minimum: 0, description: 'How many people voted' }),
  closesAt: Type.Union([Timestamp, Type.Null()]),
  closedAt: Type.Union([Timestamp, Type.Null()]),
  closed: Type.Boolean(),
  createdBy: Person,
  createdAt: Timestamp,
});
export type Poll = Static<typeof Poll>;

export const CreatePollBody = Type.Object(
  {
    question: Title,
    options: Type.Array(Type.String({ minLength: 1, maxLength: MAX_OPTION_LENGTH }), { maxItems: 50 }),
    multiple: Type.Optional(Type.Boolean()),
    anonymous: Type.Optional(Type.Boolean()),
    closesAt: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
export type CreatePollBody = Static<typeof CreatePollBody>;
export const VoteBody = Type.Object(
  { optionIds: Type.Array(Type.String({ minLength: 1, maxLength: 8 }), { maxItems: MAX_POLL_OPTIONS, description: 'Empty: take your vote back' }) },
  { additionalProperties: false },
);
export const PollResponse = Type.Object({ poll: Poll });
export const PollViewResponse = Type.Object({
  poll: Poll,
  myVote: Type.Array(Type.String(), { description: 'Your chosen option ids (empty: not voted)' }),
  votes: Type.Optional(
    Type.Array(Type.Object({ user: Person, optionIds: Type.Array(Type.String()) }), { description: 'Who voted what; only for a poll that is not anonymous' }),
  ),
});
export type PollViewResponse = Static<typeof PollViewResponse>;

// ---- Must-read rules ----

export const RoomRules = Type.Object({
  roomId: Id,
  text: Type.String(),
  requireAcceptance: Type.Boolean({ description: 'Members who have not accepted this version cannot send (RULES_NOT_ACCEPTED)' }),
  version: Type.Integer({ minimum: 1, description: 'Goes up with every change; a change asks everyone again' }),
  updatedBy: Person,
  updatedAt: Timestamp,
});
export type RoomRules = Static<typeof RoomRules>;
export const PutRulesBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: MAX_RULES_LENGTH }), requireAcceptance: Type.Boolean() },
  { additionalProperties: false },
);
export const RulesResponse = Type.Object({
  rules: Type.Union([RoomRules, Type.Null()], { description: 'null: the room has no rules' }),
  acceptedVersion: Type.Union([Type.Integer(), Type.Null()], { description: 'The version you accepted (null: none)' }),
  mustAccept: Type.Boolean({ description: 'You cannot send until you accept the current version' }),
  probationSeconds: Type.Optional(
    Type.Integer({
      minimum: 0,
      description:
        "The room's newcomer probation (safety policy probationSeconds). When acceptance is required it counts from a member's first acceptance, not from joining: for this long their links, photos and mentions of others wait for review and they cannot RSVP to meetups",
    }),
  ),
});
export type RulesResponse = Static<typeof RulesResponse>;
export const AcceptRulesResponse = Type.Object({ version: Type.Integer({ minimum: 1 }), acceptedAt: Timestamp });

// ---- Meetups ----

export const PlaceBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: MAX_TITLE_LENGTH, description: 'Shown to every member, e.g. "a café near Jing\'an Temple"' }),
    area: Type.Optional(Type.String({ maxLength: MAX_TITLE_LENGTH })),
    detail: Type.Optional(Type.String({ maxLength: 500, description: 'The exact address, room number, phone: only for confirmed attendees and staff' })),
  },
  { additionalProperties: false },
);
export const MeetupPlace = Type.Object({
  name: Type.String(),
  area: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Only in GET /v1/events/{id} for confirmed attendees and staff' })),
});

export const MeetupStatus = Type.Union([Type.Literal('scheduled'), Type.Literal('proposed'), Type.Literal('rejected')], {
  description:
    "scheduled: created by staff or approved, a card in the timeline; proposed: a member's proposal waiting for staff (seen only by them and the proposer, no RSVPs); rejected: turned down by staff",
});
export type MeetupStatus = Static<typeof MeetupStatus>;

export const Meetup = Type.Object({
  id: Id,
  roomId: Id,
  messageId: Id,
  title: Type.String(),
  description: Type.String(),
  startsAt: Timestamp,
  endsAt: Type.Union([Timestamp, Type.Null()]),
  place: MeetupPlace,
  capacity: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  rsvpClosesAt: Type.Union([Timestamp, Type.Null()]),
  going: Type.Integer({ minimum: 0, description: 'Confirmed attendees' }),
  waiting: Type.Integer({ minimum: 0, description: 'On the waitlist' }),
  cancelledAt: Type.Union([Timestamp, Type.Null()]),
  createdBy: Person,
  createdAt: Timestamp,
  status: MeetupStatus,
  rejectReason: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Why staff turned the proposal down (status rejected; to the proposer and staff)' })),
});
export type Meetup = Static<typeof Meetup>;

export const RsvpStatus = Type.Union([Type.Literal('confirmed'), Type.Literal('waitlisted'), Type.Literal('declined')]);
export const Rsvp = Type.Object({
  status: RsvpStatus,
  waitlistPosition: Type.Optional(Type.Integer({ minimum: 1 })),
  homeSafeAt: Type.Optional(Type.Union([Timestamp, Type.Null()])),
});
export type Rsvp = Static<typeof Rsvp>;

export const CreateMeetupBody = Type.Object(
  {
    title: Title,
    description: Type.Optional(Type.String({ maxLength: MAX_DESCRIPTION_LENGTH })),
    startsAt: Timestamp,
    endsAt: Type.Optional(Timestamp),
    place: PlaceBody,
    capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    rsvpClosesAt: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
export type CreateMeetupBody = Static<typeof CreateMeetupBody>;
export const RsvpBody = Type.Object(
  {
    going: Type.Boolean(),
    checklistSeen: Type.Optional(Type.Boolean({ description: 'The member was shown the meeting-safety checklist (asked once: SAFETY_CHECKLIST_REQUIRED)' })),
  },
  { additionalProperties: false },
);
export const RsvpResponse = Type.Object({ rsvp: Rsvp, event: Meetup });
export const MeetupResponse = Type.Object({ event: Meetup });
export const Attendee = Type.Object({ user: Person, status: RsvpStatus, waitlistPosition: Type.Optional(Type.Integer({ minimum: 1 })), homeSafeAt: Type.Optional(Type.Union([Timestamp, Type.Null()])) });
export const MeetupViewResponse = Type.Object({
  event: Meetup,
  rsvp: Type.Union([Rsvp, Type.Null()], { description: 'Yours (null: not answered)' }),
  attendees: Type.Array(Attendee, { description: 'Confirmed first, then the waitlist in order; homeSafeAt for staff only' }),
  checklist: Type.Array(Type.String(), { description: "The room's meeting-safety checklist" }),
  checklistSeen: Type.Boolean(),
});
export type MeetupViewResponse = Static<typeof MeetupViewResponse>;
export const MeetupListQuery = Type.Object(
  {
    upcoming: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'true: only meetups not yet over and not cancelled' })),
    status: Type.Optional(
      Type.Union([Type.Literal('scheduled'), Type.Literal('proposed')], {
        description: "scheduled (default): the room's meetups; proposed: proposals waiting for approval (staff: all of them; a member: their own)",
      }),
    ),
  },
  { additionalProperties: false },
);
export const RejectMeetupBody = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 500, description: 'Told to the proposer' })) },
  { additionalProperties: false },
);
export const MeetupListResponse = Type.Object({ events: Type.Array(Meetup, { description: 'Soonest first' }) });
export const ChecklistBody = Type.Object(
  { lines: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: MAX_CHECKLIST_LINES, description: "The owner's lines, after the standard ones" }) },
  { additionalProperties: false },
);
export const ChecklistResponse = Type.Object({ checklist: Type.Array(Type.String()) });

// ---- 打卡 check-in challenges ----

const LOCAL_DATE_PATTERN = '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$';
const LocalDate = Type.String({ pattern: LOCAL_DATE_PATTERN, description: 'A calendar date, YYYY-MM-DD, in the challenge\'s time zone' });
export const Challenge = Type.Object({
  id: Id,
  roomId: Id,
  messageId: Id,
  title: Type.String(),
  cadence: Type.Union([Type.Literal('daily'), Type.Literal('weekly')]),
  startsOn: LocalDate,
  endsOn: LocalDate,
  timezone: Type.String({ description: 'IANA time zone: periods are its calendar days (weekly: ISO weeks from Monday)' }),
  participants: Type.Integer({ minimum: 0 }),
  checkins: Type.Integer({ minimum: 0 }),
  createdBy: Person,
  createdAt: Timestamp,
});
export type Challenge = Static<typeof Challenge>;
export const CreateChallengeBody = Type.Object(
  {
    title: Title,
    cadence: Type.Union([Type.Literal('daily'), Type.Literal('weekly')]),
    startsOn: LocalDate,
    endsOn: LocalDate,
    timezone: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type CreateChallengeBody = Static<typeof CreateChallengeBody>;
export const CheckinBody = Type.Object(
  {
    text: Type.Optional(Type.String({ maxLength: MAX_ENTRY_LENGTH })),
    attachments: Type.Optional(
      Type.Array(Id, {
        minItems: 1,
        maxItems: MAX_ATTACHMENTS,
        uniqueItems: true,
        description: "A photo check-in: uploads (POST /v1/rooms/{roomId}/attachments to the challenge's room) as a message would carry them — your own, ready and not yet sent",
      }),
    ),
  },
  { additionalProperties: false },
);
export type CheckinBody = Static<typeof CheckinBody>;
export const Checkin = Type.Object({
  challengeId: Id,
  user: Person,
  period: LocalDate,
  text: Type.String(),
  checkedAt: Timestamp,
  attachments: Type.Array(Attachment, { description: "A photo check-in's photos, as its message carries them; empty without photos, and once that message is recalled or hidden" }),
  message: Type.Union([Type.Object({ id: Id, seq: Seq }), Type.Null()], { description: 'The message in the timeline that carries the photos (null without photos)' }),
});
export type Checkin = Static<typeof Checkin>;
export const CheckinResponse = Type.Object({
  checkin: Checkin,
  streak: Type.Integer({ minimum: 1, description: 'Periods in a row, up to this one' }),
  challenge: Challenge,
});
export const CheckinListQuery = Type.Object(
  {
    period: Type.Optional(Type.String({ pattern: LOCAL_DATE_PATTERN, description: "Whose check-ins: this period's (a local date; weekly: the Monday). Default: the current period (the last one once the challenge is over)" })),
    photos: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'true: only check-ins whose photos members may see' })),
    before: Type.Optional(Type.String({ maxLength: 200, description: 'The nextBefore of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30 })),
  },
  { additionalProperties: false },
);
export type CheckinListQuery = Static<typeof CheckinListQuery>;
export const CheckinListResponse = Type.Object({
  period: LocalDate,
  checkins: Type.Array(Checkin, { description: 'Newest first' }),
  nextBefore: Type.Union([Type.String(), Type.Null()], { description: 'Pass as before for the next (older) page; null on the last page' }),
});
export type CheckinListResponse = Static<typeof CheckinListResponse>;
export const LeaderboardResponse = Type.Object({
  challenge: Challenge,
  period: LocalDate,
  leaders: Type.Array(
    Type.Object({
      user: Person,
      checkins: Type.Integer({ minimum: 1 }),
      streak: Type.Integer({ minimum: 0, description: 'Current run: 0 when neither this period nor the last was checked in' }),
      lastPeriod: LocalDate,
    }),
    { description: 'Most check-ins first, then the longest current streak' },
  ),
});
export type LeaderboardResponse = Static<typeof LeaderboardResponse>;
export const ChallengeParams = Type.Object({ id: Id }, { additionalProperties: false });
export const ChallengeCard = Type.Object({ event: Type.Literal('challenge'), challenge: Challenge }, { title: 'challenge card' });
export const ChallengeChangePayload = Type.Object({
  op: Type.Literal('checkedIn'),
  userId: Id,
  period: LocalDate,
  streak: Type.Integer({ minimum: 1 }),
  challenge: Challenge,
  checkin: Type.Optional(Checkin),
});
/** A photo check-in's message (kind text, the photos its attachments) says which challenge and period it checks in. */
export const CheckinNote = Type.Object(
  {
    event: Type.Literal('checkin'),
    challengeId: Id,
    challengeMessageId: Id,
    title: Type.String(),
    period: LocalDate,
    streak: Type.Integer({ minimum: 1 }),
  },
  { title: 'check-in note' },
);
export type CheckinNote = Static<typeof CheckinNote>;

// ---- Params ----

export const SignupParams = Type.Object({ id: Id }, { additionalProperties: false });
export const HeldEntryParams = Type.Object({ id: Id, userId: Id }, { additionalProperties: false });
export const PollParams = Type.Object({ id: Id }, { additionalProperties: false });
export const EventParams = Type.Object({ eventId: Id }, { additionalProperties: false });

// ---- What travels in the timeline and on the change feed ----

/** A card message's `data`: the item as every member may see it (told apart by `event`, like a system message's). */
export const SignupCard = Type.Object({ event: Type.Literal('signup'), signup: Signup }, { title: 'signup card' });
export const PollCard = Type.Object({ event: Type.Literal('poll'), poll: Poll }, { title: 'poll card' });
export const MeetupCard = Type.Object({ event: Type.Literal('event'), meetup: Meetup }, { title: 'event card' });
export type CommunityCard = Static<typeof SignupCard> | Static<typeof PollCard> | Static<typeof MeetupCard> | Static<typeof ChallengeCard>;

export const SignupChangePayload = Type.Object({
  op: Type.Union([Type.Literal('added'), Type.Literal('edited'), Type.Literal('removed'), Type.Literal('closed')]),
  userId: Type.Union([Id, Type.Null()], { description: 'Whose line changed (null: closed)' }),
  signup: Signup,
});
export const PollChangePayload = Type.Object({
  op: Type.Union([Type.Literal('voted'), Type.Literal('closed')]),
  poll: Poll,
});
export const MeetupChangePayload = Type.Object({
  op: Type.Union([Type.Literal('rsvp'), Type.Literal('promoted'), Type.Literal('cancelled'), Type.Literal('reminded')]),
  event: Meetup,
});
export const RulesChangePayload = Type.Object({ rules: RoomRules });
