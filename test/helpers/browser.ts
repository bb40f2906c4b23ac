/**
 * The one place the browser tests get their Chromium, so they run on any machine that ran
 * `npm ci`: CHROMIUM_PATH if set; else the system's Chromium (Debian's `/usr/bin/chromium`) if
 * present; else the headless Chromium that ships inside the `@sparticuz/chromium` devDependency,
 * unpacked once per version. Nothing is ever downloaded; when none of the three can be had the
 * tests fail, they never skip.
 *
 * The packaged Chromium has no fonts of its own beyond Latin ones, so Chinese may come out as
 * boxes: `rendersChinese` tells the tests whether a screenshot is fit for people to look at.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// The test runner may read the environment (like env.ts): it decides which browser the tests drive.
// TEST_SYSTEM_CHROMIUM moves (or, with `none`, turns off) the look for a system Chromium, so CI
// can run the suite exactly as a machine without one would.
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || null;
const SYSTEM_CHROMIUM = process.env.TEST_SYSTEM_CHROMIUM || '/usr/bin/chromium';

export type ChromiumSource = 'CHROMIUM_PATH' | 'system' | 'npm package';

export interface ChromiumChoice {
  source: ChromiumSource;
  executablePath: string;
}

export interface ChromiumLookup {
  chromiumPath?: string | null;
  /** Where the system Chromium is looked for; `none` skips the look. */
  systemChromium?: string;
}

/** Which Chromium the browser tests use, unpacking the packaged one if it comes to that. */
export async function findChromium(lookup: ChromiumLookup = {}): Promise<ChromiumChoice> {
  const chromiumPath = lookup.chromiumPath === undefined ? CHROMIUM_PATH : lookup.chromiumPath;
  const systemChromium = lookup.systemChromium ?? SYSTEM_CHROMIUM;
  if (chromiumPath) {
    // Asked for by name: a wrong path is a mistake to report, not a reason to pick another browser.
    if (!isExecutable(chromiumPath)) throw new Error(`CHROMIUM_PATH=${chromiumPath} is not an executable file`);
    return { source: 'CHROMIUM_PATH', executablePath: chromiumPath };
  }
  if (systemChromium !== 'none' && isExecutable(systemChromium)) return { source: 'system', executablePath: systemChromium };
  return { source: 'npm package', executablePath: await unpackPackagedChromium() };
}

/**
 * Our own unpacking rather than the package's `executablePath()`, which writes into the shared
 * temp folder under one fixed name whatever its version, and not atomically: two test workers
 * unpacking at once could launch a half-written binary. Here each version gets its own folder
 * (dropped with node_modules) and the binary appears under its name only once complete. With
 * --disable-gpu the browser needs only the binary, not the package's GL libraries or fonts.
 */
async function unpackPackagedChromium(): Promise<string> {
  // A direct devDependency, so it sits at the top of node_modules (its exports hide package.json).
  const packageFolder = path.join(ROOT, 'node_modules', '@sparticuz', 'chromium');
  if (!fs.existsSync(path.join(packageFolder, 'package.json'))) {
    throw new Error('No Chromium for the browser tests: CHROMIUM_PATH is unset, there is no system Chromium, and @sparticuz/chromium is not installed (run `npm ci`)');
  }
  const { version } = JSON.parse(fs.readFileSync(path.join(packageFolder, 'package.json'), 'utf8')) as { version: string };
  const packed = path.join(packageFolder, 'bin', 'chromium.br');
  const folder = path.join(ROOT, 'node_modules', '.cache', `quanzi-chromium-${version}`);
  const executable = path.join(folder, 'chromium');
  if (isExecutable(executable)) return executable;
  if (!fs.existsSync(packed)) throw new Error(`@sparticuz/chromium ${version} has no ${packed}`);
  fs.mkdirSync(folder, { recursive: true });
  const partial = `${executable}.${process.pid}-${randomBytes(4).toString('hex')}.partial`;
  try {
    await pipeline(fs.createReadStream(packed), createBrotliDecompress(), fs.createWriteStream(partial, { mode: 0o755 }));
    fs.renameSync(partial, executable);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  return executable;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export interface TestBrowser {
  browser: Browser;
  chromium: ChromiumChoice;
}

/** Launches the chosen Chromium headless, as root-safe as CI needs and quiet on the network. */
export async function launchTestBrowser(lookup: ChromiumLookup = {}): Promise<TestBrowser> {
  const choice = await findChromium(lookup);
  const browser = await chromium.launch({
    executablePath: choice.executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  return { browser, chromium: choice };
}

/**
 * Whether the page's browser has a font for Chinese: two different characters drawn with no font
 * for them come out as the same box, with one they never do.
 */
export async function rendersChinese(page: Page): Promise<boolean> {
  // No named functions inside: tsx's transform would wrap them in a helper the page does not have.
  return page.evaluate(() => {
    const drawn = ['你', '好'].map((character) => {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 48;
      const context = canvas.getContext('2d')!;
      context.font = '40px sans-serif';
      context.fillText(character, 4, 40);
      return Array.from(context.getImageData(0, 0, 48, 48).data).join(',');
    });
    return drawn[0] !== drawn[1];
  });
}
