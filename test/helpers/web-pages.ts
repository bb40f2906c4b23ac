/**
 * Browser pages signed in as a test user, for the web client's tests: one browser context per
 * page (so each has its own storage, as separate people do), the token placed where the client
 * keeps it, and every uncaught page error and native dialog collected for the test to assert on.
 * The client is built once for the whole run (test/global-setup.ts).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchTestBrowser } from './browser.ts';
import { startTestServer, type TestServer, type TestServerOptions } from './server.ts';

export interface PageOptions {
  locale?: string;
  viewport?: { width: number; height: number };
  /** The client route to open, `/` when absent. */
  path?: string;
  /** How long each step may wait once the page is up. */
  stepTimeoutMs?: number;
  /** A touch screen (a phone): touch events and `pointer: coarse`. */
  hasTouch?: boolean;
  /** Browser permissions granted to the page's origin, such as `clipboard-read`. */
  permissions?: string[];
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

// The first paint waits on the whole bundle being fetched and run; on a machine also running the
// rest of the suite that takes far longer than any later step, and is not what the tests look at.
const FIRST_PAINT_TIMEOUT_MS = 60_000;

export class WebPages {
  /** Uncaught errors thrown in any page: a test suite expects none. */
  readonly pageErrors: string[] = [];
  /** The browser's own alert/confirm/prompt boxes, dismissed: the app must never use them. */
  readonly nativeDialogs: string[] = [];
  private readonly contexts: BrowserContext[] = [];

  constructor(private readonly browser: () => Browser) {}

  /** Opens `baseUrl + path` as `user` (signed out when null) and waits until the client has rendered. */
  async open(baseUrl: string, user: { token: string } | null, options: PageOptions = {}): Promise<Page> {
    const context = await this.browser().newContext({
      locale: options.locale ?? 'en-US',
      viewport: options.viewport ?? DESKTOP,
      hasTouch: options.hasTouch ?? false,
      permissions: options.permissions,
    });
    this.contexts.push(context);
    if (user) await context.addInitScript((token: string) => localStorage.setItem('quanzi.token', token), user.token);
    const page = await context.newPage();
    page.setDefaultTimeout(options.stepTimeoutMs ?? 15_000);
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
    page.on('dialog', (dialog) => void (this.nativeDialogs.push(dialog.message()), dialog.dismiss()));
    await page.goto(baseUrl + (options.path ?? '/'), { timeout: FIRST_PAINT_TIMEOUT_MS });
    await page.locator('#app > *').first().waitFor({ timeout: FIRST_PAINT_TIMEOUT_MS });
    return page;
  }

  async close(): Promise<void> {
    for (const context of this.contexts.splice(0)) await context.close().catch(() => {});
  }
}

export interface WebSuiteOptions {
  /** The gateway the pages talk to: a test server with these options, or none when the suite brings its own (several gateways). */
  server?: TestServerOptions | false;
  /**
   * After the suite, expect no uncaught page error and no native dialog in any page. Off for
   * suites that assert on them themselves, or not at all.
   */
  expectCleanPages?: boolean;
}

/** What a browser suite works with; `server` and `browser` exist once the suite's set-up ran. */
export interface WebSuite {
  readonly server: TestServer;
  readonly browser: Browser;
  readonly pages: WebPages;
  /** Opens the suite's server as `user` (signed out when null). */
  open(user: { token: string } | null, options?: PageOptions): Promise<Page>;
}

// Starting a gateway and a browser on a machine also running other suites takes a while.
const SUITE_SET_UP_TIMEOUT_MS = 120_000;

/**
 * The set-up every browser suite shares, registered as its first beforeAll and (so it runs last)
 * afterAll: a test server unless the suite brings its own, one browser, and the pages closed,
 * the browser and server stopped, and (by default) no page error or native dialog left behind.
 * Call it at the top of the file, before the suite's own hooks, which then see a started suite.
 */
export function useWebSuite(options: WebSuiteOptions = {}): WebSuite {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the web suite's ${what} is not started yet: use it inside a hook or a test`);
    return value;
  };
  const pages = new WebPages(() => started(browser, 'browser'));
  const suite: WebSuite = {
    get server() {
      return started(server, 'server');
    },
    get browser() {
      return started(browser, 'browser');
    },
    pages,
    open: (user, pageOptions) => pages.open(suite.server.url, user, pageOptions),
  };
  beforeAll(async () => {
    if (options.server !== false) server = await startTestServer(options.server ?? {});
    ({ browser } = await launchTestBrowser());
  }, SUITE_SET_UP_TIMEOUT_MS);
  afterAll(async () => {
    await pages.close();
    await browser?.close();
    await server?.close();
    if (options.expectCleanPages ?? true) {
      expect(pages.pageErrors).toEqual([]);
      expect(pages.nativeDialogs).toEqual([]);
    }
  });
  return suite;
}
