/** Socket events for acting on messages: recall, edit and reactions (the same domain calls as REST). */
import type { DomainDeps } from '../../domain/deps.ts';
import type { Principal } from '../../domain/principal.ts';
import { editMessage } from '../../domain/edit-message.ts';
import { react } from '../../domain/reactions.ts';
import { recallMessage } from '../../domain/recall.ts';
import type { InFlight } from '../../in-flight.ts';
import { onEvent } from './handler.ts';
import type { GatewaySocket } from './typed-socket.ts';

export function registerMessageActionEvents(socket: GatewaySocket, principal: Principal, deps: DomainDeps, inFlight: InFlight): void {
  const context = { inFlight, log: deps.log };

  onEvent(socket, 'message:recall', context, async (payload) => ({
    recall: await recallMessage(deps, principal, payload.roomId.toLowerCase(), payload.seq),
  }));

  onEvent(socket, 'message:edit', context, async (payload) => ({
    message: await editMessage(deps, principal, payload.roomId.toLowerCase(), payload.seq, payload.text),
  }));

  for (const op of ['add', 'remove'] as const) {
    onEvent(socket, `reaction:${op}`, context, (payload) =>
      react(deps, principal, { roomId: payload.roomId.toLowerCase(), seq: payload.seq, emoji: payload.emoji, op }),
    );
  }
}
