/** `npm run migrate`: applies pending migrations to the configured database and exits. */
import { loadConfig } from '../config.ts';
import { openDatabase } from './db.ts';

const config = loadConfig();
const handle = await openDatabase(config);
console.log(`Migrations applied (${handle.kind} database).`);
await handle.close();
