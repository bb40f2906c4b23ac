/** Profiles, privacy and blocks: PATCH /v1/me, GET /v1/users/:userId, PUT /v1/me/privacy, /v1/me/blocks. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BlocksResponse, PrivacyBody, PrivacyResponse, ProfileResponse, UpdateProfileBody, UserParams } from '../../../shared/people.ts';
import { ErrorResponse, NoContent } from '../../../shared/schemas.ts';
import { blocksOf, blockUser, unblockUser } from '../../domain/blocks.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { editProfile, privacyOf, profileOf, setPrivacy } from '../../domain/profiles.ts';
import { bearerSecurity } from './auth.ts';

export function profileRoutes(deps: DomainDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.patch(
      '/v1/me',
      {
        schema: {
          tags: ['profiles'],
          summary: 'Change your display name, bio or avatar',
          description:
            'displayName and bio pass the safety rules (422 BLOCKED_BY_SAFETY, details.field). avatarAttachmentId is a picture you uploaded to any of your rooms, ' +
            'ready (422 AVATAR_INVALID otherwise); anyone signed in may then load it. Answers your profile as others see it.',
          security: bearerSecurity,
          body: UpdateProfileBody,
          response: { 200: ProfileResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => ({ profile: await editProfile(deps, request.principal, request.body) }),
    );

    app.get(
      '/v1/users/:userId',
      {
        schema: {
          tags: ['profiles'],
          summary: "A user's profile card: name, bio, avatar, and whether they are online only when they show it",
          security: bearerSecurity,
          params: UserParams,
          response: { 200: ProfileResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => ({ profile: await profileOf(deps, request.principal, request.params.userId) }),
    );

    app.get(
      '/v1/me/privacy',
      { schema: { tags: ['profiles'], summary: 'Who may message you, and whether you are shown online', security: bearerSecurity, response: { 200: PrivacyResponse, '4xx': ErrorResponse } } },
      async (request) => ({ privacy: await privacyOf(deps, request.principal) }),
    );

    app.put(
      '/v1/me/privacy',
      {
        schema: {
          tags: ['profiles'],
          summary: 'Set who may message you (dmsFrom) and whether you are shown online (showPresence)',
          security: bearerSecurity,
          body: PrivacyBody,
          response: { 200: PrivacyResponse, '4xx': ErrorResponse },
        },
      },
      async (request) => ({ privacy: await setPrivacy(deps, request.principal, request.body) }),
    );

    app.get(
      '/v1/me/blocks',
      { schema: { tags: ['profiles'], summary: 'The people you blocked, newest first', security: bearerSecurity, response: { 200: BlocksResponse, '4xx': ErrorResponse } } },
      async (request) => ({ blocks: await blocksOf(deps, request.principal) }),
    );

    app.put(
      '/v1/me/blocks/:userId',
      {
        schema: {
          tags: ['profiles'],
          summary: 'Block a person: their messages and DMs are hidden from you everywhere; they are not told',
          security: bearerSecurity,
          params: UserParams,
          response: { 204: NoContent, '4xx': ErrorResponse },
        },
      },
      async (request, reply) => {
        await blockUser(deps, request.principal, request.params.userId);
        return reply.status(204).send(null);
      },
    );

    app.delete(
      '/v1/me/blocks/:userId',
      { schema: { tags: ['profiles'], summary: 'Unblock a person', security: bearerSecurity, params: UserParams, response: { 204: NoContent, '4xx': ErrorResponse } } },
      async (request, reply) => {
        await unblockUser(deps, request.principal, request.params.userId);
        return reply.status(204).send(null);
      },
    );
  };
}
