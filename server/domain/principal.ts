/** Who is acting: the authenticated user behind a request or a socket. */
export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  kind: 'user' | 'bot';
  sessionId: string;
}
