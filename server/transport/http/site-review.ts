/** Reports outside a room's queue (a user, a room) and the site moderators' queue and suspensions. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  FiledReportResponse,
  SiteDecisionBody,
  SiteDecisionResponse,
  SiteReportBody,
  SiteReportParams,
  SiteReportsResponse,
  SuspendBody,
  SuspensionResponse,
  UserParams,
} from '../../../shared/people.ts';
import { ErrorResponse, NoContent, RoomParams } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { decideReport, liftAccountSuspension, reportRoom, reportUser, siteReportQueue, suspendAccount } from '../../domain/site-review.ts';
import { bearerSecurity } from './auth.ts';

export function siteReviewRoutes(deps: DomainDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/users/:userId/report',
      {
        schema: { tags: ['site review'], summary: "Report a user to the site's moderators", security: bearerSecurity, params: UserParams, body: SiteReportBody, response: { 201: FiledReportResponse, '4xx': ErrorResponse } },
      },
      async (request, reply) => reply.status(201).send({ report: await reportUser(deps, request.principal, request.params.userId, request.body) }),
    );

    app.post(
      '/v1/rooms/:roomId/report',
      {
        schema: { tags: ['site review'], summary: "Report a room itself to the site's moderators", security: bearerSecurity, params: RoomParams, body: SiteReportBody, response: { 201: FiledReportResponse, '4xx': ErrorResponse } },
      },
      async (request, reply) => reply.status(201).send({ report: await reportRoom(deps, request.principal, request.params.roomId, request.body) }),
    );

    app.get(
      '/v1/admin/reports',
      {
        schema: {
          tags: ['site review'],
          summary: 'The site-level review queue (site moderators): open reports of message requests, DM messages, users and rooms, oldest first',
          security: bearerSecurity,
          response: { 200: SiteReportsResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => ({ reports: await siteReportQueue(deps, request.principal) }),
    );

    app.post(
      '/v1/admin/reports/:reportId/decision',
      {
        schema: {
          tags: ['site review'],
          summary: "Decide a report (site moderators): the reporter hears the outcome (report:decided)",
          security: bearerSecurity,
          params: SiteReportParams,
          body: SiteDecisionBody,
          response: { 200: SiteDecisionResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => decideReport(deps, request.principal, request.params.reportId, request.body.outcome),
    );

    app.post(
      '/v1/admin/users/:userId/suspend',
      {
        schema: {
          tags: ['site review'],
          summary: 'Suspend an account everywhere (site moderators): its sessions end on every gateway at once, sign-in is refused until it ends',
          security: bearerSecurity,
          params: UserParams,
          body: SuspendBody,
          response: { 200: SuspensionResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => ({ suspension: await suspendAccount(deps, request.principal, request.params.userId, request.body) }),
    );

    app.delete(
      '/v1/admin/users/:userId/suspend',
      {
        schema: {
          tags: ['site review'],
          summary: 'Lift a suspension before its end (site moderators): the account may sign in again; 409 NOT_SUSPENDED when none is in force',
          security: bearerSecurity,
          params: UserParams,
          response: { 204: NoContent, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => {
        await liftAccountSuspension(deps, request.principal, request.params.userId);
        return reply.status(204).send(null);
      },
    );
  };
}
