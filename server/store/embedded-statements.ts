/**
 * Named prepared statements on the embedded database, each run in one pass through it.
 *
 * PGlite's `query()` drives the extended protocol one message at a time — parse, describe, bind,
 * describe, execute, sync: six trips into WebAssembly for every statement, the parse and plan
 * repeated each time. For the statement every message pays for that was most of its cost. Here a
 * statement is parsed once under a name, and each run is bind + describe + execute + sync sent as
 * one buffer, which PGlite works through in a single call.
 */
import { protocol, type PGlite } from '@electric-sql/pglite';
import type { TextParam } from './db.ts';

type ProtocolMessage = Awaited<ReturnType<PGlite['execProtocolStream']>>[number];

export class EmbeddedStatements {
  private readonly names = new Map<string, string>();

  constructor(private readonly client: PGlite) {}

  /** Runs `text` with `params`; column values come back in their text form (or null). */
  async query<T>(text: string, params: readonly TextParam[]): Promise<T[]> {
    const values = params.map(toText);
    // Held like `query()` holds them, so a run never lands inside another caller's transaction.
    return this.client._runExclusiveTransaction(() =>
      this.client._runExclusiveQuery(async () => {
        const statement = await this.prepared(text);
        const messages = await this.client.execProtocolStream(
          concat([
            protocol.serialize.bind({ statement, values }),
            protocol.serialize.describe({ type: 'P' }),
            protocol.serialize.execute({}),
            protocol.serialize.sync(),
          ]),
        );
        return rowsOf<T>(messages);
      }),
    );
  }

  /** The statement's name, parsing it on first use (a statement that fails to parse is not kept). */
  private async prepared(text: string): Promise<string> {
    const known = this.names.get(text);
    if (known) return known;
    const name = `quanzi_${this.names.size + 1}`;
    await this.client.execProtocol(concat([protocol.serialize.parse({ name, text, types: [] }), protocol.serialize.sync()]));
    this.names.set(text, name);
    return name;
  }
}

function toText(value: TextParam): string | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

function rowsOf<T>(messages: ProtocolMessage[]): T[] {
  let columns: string[] = [];
  const rows: T[] = [];
  for (const message of messages) {
    if (message.name === 'rowDescription') {
      columns = (message as InstanceType<typeof protocol.messages.RowDescriptionMessage>).fields.map((field) => field.name);
    } else if (message.name === 'dataRow') {
      const row: Record<string, unknown> = {};
      (message as InstanceType<typeof protocol.messages.DataRowMessage>).fields.forEach((value, i) => (row[columns[i]!] = value));
      rows.push(row as T);
    }
  }
  return rows;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((size, part) => size + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
