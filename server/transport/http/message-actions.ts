/**
 * What members do with messages besides sending them: recall, react, pin, edit, forward, and
 * the room announcement. One plugin so app.ts registers the family with one line.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DomainDeps } from '../../domain/deps.ts';
import type { InFlight } from '../../in-flight.ts';
import { announcementRoutes } from './announcements.ts';
import { forwardRoutes } from './forwards.ts';
import { messageEditRoutes } from './message-edits.ts';
import { pinRoutes } from './pins.ts';
import { reactionRoutes } from './reactions.ts';
import { recallRoutes } from './recalls.ts';

export function messageActionRoutes(deps: DomainDeps, inFlight: InFlight): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(recallRoutes(deps, inFlight));
    await app.register(reactionRoutes(deps, inFlight));
    await app.register(pinRoutes(deps, inFlight));
    await app.register(announcementRoutes(deps, inFlight));
    await app.register(messageEditRoutes(deps, inFlight));
    await app.register(forwardRoutes(deps, inFlight));
  };
}
