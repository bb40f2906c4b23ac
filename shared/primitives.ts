/** The smallest parts of the wire contract, shared by shared/schemas.ts and shared/room-events.ts. */
import { Type, type Static } from 'typebox';

export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export const Id = Type.String({ format: 'uuid', description: 'A UUID' });
export const Seq = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Per-room message sequence number, from 1, without gaps' });
export const Timestamp = Type.String({ format: 'date-time' });

export const Role = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('member'), Type.Literal('bot')]);
export type Role = Static<typeof Role>;
