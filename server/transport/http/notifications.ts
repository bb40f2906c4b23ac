/** Do-not-disturb per room (消息免打扰). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotificationsBody, NotificationsResponse } from '../../../shared/people.ts';
import { ErrorResponse, RoomParams } from '../../../shared/schemas.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { setNotifications } from '../../domain/notifications.ts';
import { bearerSecurity } from './auth.ts';

export function notificationRoutes(deps: DomainDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.put(
      '/v1/rooms/:roomId/members/me/notifications',
      {
        schema: {
          tags: ['read state'],
          summary: "Set what alerts you in this room: 'all', 'mentions' or 'none' (unread counts stay true; badge follows)",
          security: bearerSecurity,
          params: RoomParams,
          body: NotificationsBody,
          response: { 200: NotificationsResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => setNotifications(deps, request.principal, request.params.roomId, request.body.mode),
    );
  };
}
