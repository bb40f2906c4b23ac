/**
 * Builds the web client once, before any test file runs. The gateways under test serve
 * client/web/dist as they find it at start-up; were each browser test to build it, one file's
 * build would empty the folder while another file's gateway starts or its page loads.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default async function buildWebClient(): Promise<void> {
  await build({ configFile: path.join(ROOT, 'client/web/vite.config.ts'), logLevel: 'warn', build: { sourcemap: false } });
}
