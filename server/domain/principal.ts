import type { BotScope } from '../../shared/schemas.ts';

/** Who is acting: the authenticated user behind a request or a socket. */
export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  kind: 'user' | 'bot';
  sessionId: string;
  /** Set when a bot token (`Authorization: Bot …`) authenticated the request: what it may do. */
  bot?: { tokenId: string; scopes: readonly BotScope[] };
}
