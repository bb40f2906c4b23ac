/** The parts every domain action may use, built once in app.ts and passed down. */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Database } from '../store/db.ts';
import type { MessageWriter } from '../store/message-writer.ts';
import type { LiveUpdates } from './live.ts';

export interface DomainDeps {
  config: Config;
  db: Database;
  writer: MessageWriter;
  live: LiveUpdates;
  log: Logger;
}
