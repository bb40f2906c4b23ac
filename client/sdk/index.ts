/** The Quanzi client SDK: typed REST + realtime, for the web client, tests and bots. */
export { QuanziClient, newClientMsgId, type ClientEvents, type ConnectionState, type QuanziClientOptions, type SendOptions, type SendResult } from './client.ts';
export { QuanziError, isQuanziError, isRetryable, retryAfterMsOf } from './errors.ts';
export { RestClient, type Auth, type Me, type Membership, type RequestOptions } from './rest.ts';
export { RoomStream, type Cursor } from './room-stream.ts';
export type { Attachment, Member, RoomMediaPage, Message, MyRoom, Role, Room, RoomChange, User } from '../../shared/schemas.ts';
