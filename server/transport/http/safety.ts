/** A room's safety over HTTP: its policy, the review queue and its decisions, and reports. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AttachmentDecisionResponse,
  ErrorResponse,
  HeldAttachmentParams,
  HeldDecisionResponse,
  HeldParams,
  MessageParams,
  ReportBody,
  ReportDecisionResponse,
  ReportResponse,
  ReviewQuery,
  ReviewQueueResponse,
  RoomParams,
  SafetyPolicy,
  SafetyPolicyResponse,
} from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { dismissReports, removeReported, reportMessage } from '../../domain/reports.ts';
import { approveHeld, decideHeldAttachment, rejectHeld, reviewQueue } from '../../domain/review.ts';
import { readSafetyPolicy, setSafetyPolicy } from '../../domain/safety-policy.ts';
import type { InFlight } from '../../in-flight.ts';
import { bearerSecurity } from './auth.ts';

export function safetyRoutes(deps: DomainDeps, inFlight: InFlight): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/rooms/:roomId/safety',
      {
        schema: {
          tags: ['safety'],
          summary: "Owner and admins: the room's safety policy, as stored and as applied (defaults filled in)",
          security: bearerSecurity,
          params: RoomParams,
          response: { 200: SafetyPolicyResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => readSafetyPolicy(deps, request.principal, request.params.roomId),
    );

    app.put(
      '/v1/rooms/:roomId/safety',
      {
        schema: {
          tags: ['safety'],
          summary: "Owner and admins: replace the room's safety policy (omitted fields take the defaults; {} resets); applies to the next message",
          security: bearerSecurity,
          params: RoomParams,
          body: SafetyPolicy,
          response: { 200: SafetyPolicyResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => {
        const principal = request.principal;
        return inFlight.run(() => setSafetyPolicy(deps, principal, request.params.roomId, request.body));
      },
    );

    app.get(
      '/v1/rooms/:roomId/review',
      {
        schema: {
          tags: ['safety'],
          summary: 'Owner and admins: held messages, held attachments and reported messages waiting for a decision (or the newest decisions)',
          security: bearerSecurity,
          params: RoomParams,
          querystring: ReviewQuery,
          response: { 200: ReviewQueueResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => reviewQueue(deps, request.principal, request.params.roomId, request.query),
    );

    for (const [decision, decide] of [
      ['approve', approveHeld],
      ['reject', rejectHeld],
    ] as const) {
      app.post(
        `/v1/rooms/:roomId/review/:heldId/${decision}`,
        {
          schema: {
            tags: ['safety'],
            summary:
              decision === 'approve'
                ? 'Owner and admins: deliver a held message (new seq now, original createdAt)'
                : 'Owner and admins: reject a held message; nothing is delivered',
            security: bearerSecurity,
            params: HeldParams,
            response: { 200: HeldDecisionResponse, '4xx': ErrorResponse },
          },
        },
        async (request) => {
          const principal = request.principal;
          return inFlight.run(() => decide(deps, principal, request.params.roomId, request.params.heldId));
        },
      );
    }

    for (const decision of ['approve', 'reject'] as const) {
      app.post(
        `/v1/rooms/:roomId/review/attachments/:attachmentId/${decision}`,
        {
          schema: {
            tags: ['safety'],
            summary:
              decision === 'approve'
                ? 'Owner and admins: let a held attachment through (status ready: members may fetch it, its uploader may send it)'
                : 'Owner and admins: reject a held attachment (status blocked: never shown to members)',
            security: bearerSecurity,
            params: HeldAttachmentParams,
            response: { 200: AttachmentDecisionResponse, '4xx': ErrorResponse },
          },
        },
        async (request) => {
          const { roomId, attachmentId } = request.params;
          return inFlight.run(() => decideHeldAttachment(deps, request.principal, roomId, attachmentId, decision));
        },
      );
    }

    for (const [decision, decide] of [
      ['dismiss', dismissReports],
      ['remove', removeReported],
    ] as const) {
      app.post(
        `/v1/rooms/:roomId/review/messages/:seq/${decision}`,
        {
          schema: {
            tags: ['safety'],
            summary:
              decision === 'dismiss'
                ? "Owner and admins: close a message's open reports as unfounded; a hidden message shows again"
                : "Owner and admins: recall a reported message and close its open reports",
            security: bearerSecurity,
            params: MessageParams,
            response: { 200: ReportDecisionResponse, '4xx': ErrorResponse },
          },
        },
        async (request) => {
          const principal = request.principal;
          return inFlight.run(() => decide(deps, principal, request.params.roomId, request.params.seq));
        },
      );
    }

    app.post(
      '/v1/rooms/:roomId/messages/:seq/report',
      {
        schema: {
          tags: ['safety'],
          summary: "Report a message to the room's owner and admins (once per message); enough reports hide it pending review",
          security: bearerSecurity,
          params: MessageParams,
          body: ReportBody,
          response: { 201: ReportResponse, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => {
        const principal = request.principal;
        const report = await inFlight.run(() => reportMessage(deps, principal, request.params.roomId, request.params.seq, request.body));
        return reply.status(201).send({ report });
      },
    );
  };
}
