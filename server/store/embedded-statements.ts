/**
 * Named prepared statements on the embedded database, each run in one pass through it.
 *
 * PGlite's `query()` drives the extended protocol one message at a time — parse, describe, bind,
 * describe, execute, sync: six trips into WebAssembly for every statement, with the parse and
 * plan repeated each time. Here a statement is parsed once under a name (its parameter types
 * described with it), and each run is bind + describe + execute + sync sent as one buffer, which
 * PGlite works through in a single call. The answer is the same `Results` `query()` gives, built
 * by PGlite's own parser, so Drizzle runs on top of it unchanged (see db.ts).
 */
import { parse, protocol, type PGlite, type QueryOptions, type Results } from '@electric-sql/pglite';
import { LruMap } from '../lru-map.ts';

/** Statements kept prepared; the least recently used is closed past this (queries with IN lists vary). */
const MAX_PREPARED = 256;

interface Prepared {
  name: string;
  paramTypes: number[];
}

type Parsers = PGlite['parsers'];

export class EmbeddedStatements {
  private readonly prepared = new LruMap<string, Prepared>(MAX_PREPARED);
  private nextName = 1;
  /** Type parser tables merged with a caller's overrides, by those overrides (see parsersFor). */
  private readonly parserTables = new Map<string, Parsers>();

  constructor(private readonly client: PGlite) {}

  /** What `PGlite.query` answers, for statements outside a transaction. */
  async query<T>(text: string, params: readonly unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    // Held like `query()` holds them, so a run never lands inside another caller's transaction.
    return this.client._runExclusiveTransaction(() =>
      this.client._runExclusiveQuery(async () => {
        const statement = await this.prepare(text, options);
        const values = params.map((param, i) => this.serialize(param, statement.paramTypes[i], options));
        const messages = await this.client.execProtocolStream(
          concat([
            protocol.serialize.bind({ statement: statement.name, values }),
            protocol.serialize.describe({ type: 'P' }),
            protocol.serialize.execute({}),
            protocol.serialize.sync(),
          ]),
          { syncToFs: false },
        );
        await this.client.syncToFs();
        return parse.parseResults(messages, this.parsersFor(options), { rowMode: options?.rowMode })[0] as Results<T>;
      }),
    );
  }

  private async prepare(text: string, options: QueryOptions | undefined): Promise<Prepared> {
    const known = this.prepared.get(text);
    if (known) return known;
    const name = `quanzi_${this.nextName++}`;
    // A statement that fails to parse throws here and is not kept.
    const described = await this.client.execProtocolStream(
      concat([
        protocol.serialize.parse({ name, text, types: options?.paramTypes }),
        protocol.serialize.describe({ type: 'S', name }),
        protocol.serialize.sync(),
      ]),
      { syncToFs: false },
    );
    const statement = { name, paramTypes: parse.parseDescribeStatementResults(described) };
    const forgotten = this.prepared.set(text, statement);
    if (forgotten) {
      await this.client.execProtocolStream(concat([protocol.serialize.close({ type: 'S', name: forgotten.name }), protocol.serialize.sync()]), { syncToFs: false });
    }
    return statement;
  }

  /** As `query()` serializes a parameter: by the type the database expects for it. */
  private serialize(param: unknown, type: number | undefined, options: QueryOptions | undefined): string | null {
    if (param === null || param === undefined) return null;
    const serializer = type === undefined ? undefined : (options?.serializers?.[type] ?? this.client.serializers[type]);
    return serializer ? serializer(param) : String(param);
  }

  /**
   * PGlite copies its whole parser table (a parser per type and array type) for every query that
   * overrides a parser, and Drizzle overrides the date types on every query with fresh functions
   * of the same source; the merged tables are built once per distinct set of overrides instead.
   * Overrides are told apart by type id and source, which holds for stateless parsers like
   * Drizzle's; a parser closing over state would need its own table.
   */
  private parsersFor(options: QueryOptions | undefined): Parsers {
    const overrides = options?.parsers;
    if (!overrides) return this.client.parsers;
    const key = Object.entries(overrides)
      .map(([type, parser]) => `${type}:${String(parser)}`)
      .join('\n');
    let table = this.parserTables.get(key);
    if (!table) {
      table = { ...this.client.parsers, ...overrides };
      this.parserTables.set(key, table);
    }
    return table;
  }
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
