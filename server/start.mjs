/**
 * `npm start`: runs the compiled server (dist/, `npm run build`) when it was built from the
 * sources exactly as they are; after an edit or a `git pull` it compiles them first (without
 * type-checking, as tsx would run them), so a stale build never runs. Where TypeScript is not
 * installed (`npm ci --omit=dev`) and the build is stale or missing, it runs the sources through
 * tsx instead, and says so.
 *
 * The server is imported into this very process, not spawned: SIGTERM from npm or a process
 * manager reaches the server's own handler (drain, then exit) with no parent in between.
 */
import { buildIsCurrent, buildServer, canBuild, COMPILED_MAIN } from './build.mjs';
import { pathToFileURL } from 'node:url';

// Messages go to stderr: stdout is the server's log, JSON when piped.
let compiled = buildIsCurrent();
if (!compiled && canBuild()) {
  console.error('Compiling the server (the sources changed since the last build, or it was never built)…');
  try {
    buildServer({ typeCheck: false });
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  compiled = true;
}
if (compiled) {
  // Stack traces then name the TypeScript lines (the build writes source maps beside the JavaScript).
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(COMPILED_MAIN).href);
} else {
  console.error('The compiled server is missing or older than the sources, and TypeScript is not installed to rebuild it: running the sources with tsx.');
  const { register } = await import('tsx/esm/api');
  register();
  await import('./main.ts');
}
