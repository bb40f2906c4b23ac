/** Meetups: create (staff) or propose (members, where the room lets them), approve or reject (staff), list, read, RSVP, cancel (staff), "home safe", the safety checklist. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  ChecklistBody,
  ChecklistResponse,
  CreateMeetupBody,
  EventParams,
  MeetupListQuery,
  MeetupListResponse,
  MeetupResponse,
  MeetupViewResponse,
  RejectMeetupBody,
  RsvpBody,
  RsvpResponse,
} from '../../../shared/community.ts';
import { ErrorResponse, RoomParams, Timestamp } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { cancelMeetup, checklistFor, createMeetup, listMeetups, markHomeSafe, rsvp, setChecklist, viewMeetup } from '../../domain/events.ts';
import { approveMeetup, rejectMeetup } from '../../domain/meetup-proposals.ts';
import type { InFlight } from '../../in-flight.ts';
import { bearerSecurity } from './auth.ts';
import { emptyBodyAsObject } from './optional-body.ts';

const tags = ['community'];

export function eventRoutes(deps: DomainDeps, inFlight: InFlight): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/rooms/:roomId/events',
      {
        schema: {
          tags,
          summary:
            'Owner and admins: create a meetup; it appears in the timeline as a message of kind event (without place.detail). A member, where the room sets membersProposeEvents: propose one (status proposed, no card until staff approve)',
          security: bearerSecurity,
          params: RoomParams,
          body: CreateMeetupBody,
          response: { 201: MeetupResponse, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => {
        const event = await inFlight.run(() => createMeetup(deps, request.principal, request.params.roomId, request.body));
        return reply.status(201).send({ event });
      },
    );

    app.get(
      '/v1/rooms/:roomId/events',
      { schema: { tags, summary: "The room's meetups, soonest first; ?status=proposed: the proposals waiting for approval (staff: all, a member: their own)", security: bearerSecurity, params: RoomParams, querystring: MeetupListQuery, response: { 200: MeetupListResponse, '4xx': ErrorResponse } } },
      async (request) => ({
        events: await listMeetups(deps, request.principal, request.params.roomId, { upcoming: request.query.upcoming === 'true', status: request.query.status ?? 'scheduled' }),
      }),
    );

    app.post(
      '/v1/events/:eventId/approve',
      {
        schema: {
          tags,
          summary: "Owner and admins: approve a member's proposed meetup; its card appears in the timeline as the proposer's, and the proposer is told",
          security: bearerSecurity,
          params: EventParams,
          response: { 200: MeetupResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => ({ event: await inFlight.run(() => approveMeetup(deps, request.principal, request.params.eventId)) }),
    );

    app.post(
      '/v1/events/:eventId/reject',
      {
        schema: {
          tags,
          summary: "Owner and admins: turn a member's proposed meetup down, with an optional reason told to the proposer",
          security: bearerSecurity,
          params: EventParams,
          body: RejectMeetupBody,
          response: { 200: MeetupResponse, '4xx': ErrorResponse },
        },
        preValidation: emptyBodyAsObject,
      },
      async (request) => ({ event: await inFlight.run(() => rejectMeetup(deps, request.principal, request.params.eventId, request.body)) }),
    );

    app.get(
      '/v1/rooms/:roomId/events/checklist',
      { schema: { tags, summary: "The room's meeting-safety checklist", security: bearerSecurity, params: RoomParams, response: { 200: ChecklistResponse, '4xx': ErrorResponse } } },
      async (request) => ({ checklist: await checklistFor(deps, request.principal, request.params.roomId) }),
    );

    app.put(
      '/v1/rooms/:roomId/events/checklist',
      {
        schema: { tags, summary: "The owner: the room's own lines after the standard ones", security: bearerSecurity, params: RoomParams, body: ChecklistBody, response: { 200: ChecklistResponse, '4xx': ErrorResponse } },
      },
      async (request) => ({ checklist: await inFlight.run(() => setChecklist(deps, request.principal, request.params.roomId, request.body.lines)) }),
    );

    app.get(
      '/v1/events/:eventId',
      {
        schema: {
          tags,
          summary: 'A meetup, your RSVP and the attendees; place.detail only for confirmed attendees and staff',
          security: bearerSecurity,
          params: EventParams,
          response: { 200: MeetupViewResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => viewMeetup(deps, request.principal, request.params.eventId),
    );

    app.post(
      '/v1/events/:eventId/rsvp',
      {
        schema: {
          tags,
          summary: 'Going or not: confirmed while places remain, else waitlisted (first come first served, promoted automatically)',
          security: bearerSecurity,
          params: EventParams,
          body: RsvpBody,
          response: { 200: RsvpResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => inFlight.run(() => rsvp(deps, request.principal, request.params.eventId, request.body)),
    );

    app.post(
      '/v1/events/:eventId/cancel',
      { schema: { tags, summary: 'Owner and admins: cancel the meetup (attendees are told)', security: bearerSecurity, params: EventParams, response: { 200: MeetupResponse, '4xx': ErrorResponse } } },
      async (request) => ({ event: await inFlight.run(() => cancelMeetup(deps, request.principal, request.params.eventId)) }),
    );

    app.post(
      '/v1/events/:eventId/home-safe',
      {
        schema: {
          tags,
          summary: 'A confirmed attendee, after the start: "I got home safe" (optional; staff see who did)',
          security: bearerSecurity,
          params: EventParams,
          response: { 200: Type.Object({ homeSafeAt: Timestamp }), '4xx': ErrorResponse },
        },
      },
      async (request) => inFlight.run(() => markHomeSafe(deps, request.principal, request.params.eventId)),
    );
  };
}
