/**
 * The repository's folder, found the same way from the source tree (server/…, run by tsx) and the
 * compiled one (dist/server/…, `npm run build`): the nearest folder above this file holding a
 * package.json. The files the server reads at run time but does not compile — the migrations, the
 * built web client — are read from there, so both trees serve the same ones.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function nearestPackageFolder(from: string): string {
  for (let folder = from; ; folder = path.dirname(folder)) {
    if (fs.existsSync(path.join(folder, 'package.json'))) return folder;
    if (path.dirname(folder) === folder) throw new Error(`no package.json above ${from}`);
  }
}

export const PROJECT_ROOT = nearestPackageFolder(path.dirname(fileURLToPath(import.meta.url)));
