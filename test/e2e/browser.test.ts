/**
 * The browser tests run on a machine with no system Chromium: the one packaged in the
 * @sparticuz/chromium devDependency is unpacked and drives a page. Also what a wrong
 * CHROMIUM_PATH does (fails, picks no other browser).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { findChromium, launchTestBrowser, type TestBrowser } from '../helpers/browser.ts';

describe('the browser for the browser tests', () => {
  let launched: TestBrowser | undefined;
  const page = http.createServer((_request, response) => {
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end('<!doctype html><title>probe</title><button onclick="this.textContent = \'clicked\'">click me</button>');
  });

  afterAll(async () => {
    await launched?.browser.close();
    await new Promise((resolve) => page.close(resolve));
  });

  it('with no system Chromium, uses the one shipped in the npm package and drives a page with it', async () => {
    launched = await launchTestBrowser({ chromiumPath: null, systemChromium: 'none' });
    expect(launched.chromium.source).toBe('npm package');
    expect(launched.chromium.executablePath).toContain('node_modules/.cache/quanzi-chromium-');
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    const tab = await launched.browser.newPage();
    await tab.goto(`http://127.0.0.1:${(page.address() as AddressInfo).port}/`);
    await tab.getByRole('button', { name: 'click me' }).click();
    expect(await tab.locator('button').textContent()).toBe('clicked');
    // A second look finds the unpacked binary where the first left it.
    expect(await findChromium({ chromiumPath: null, systemChromium: 'none' })).toEqual(launched.chromium);
  }, 120_000);

  it('a system Chromium path with nothing there is passed over for the packaged one', async () => {
    expect((await findChromium({ chromiumPath: null, systemChromium: '/nonexistent/chromium' })).source).toBe('npm package');
  });

  it('a CHROMIUM_PATH with nothing there fails instead of picking another browser', async () => {
    await expect(findChromium({ chromiumPath: '/nonexistent/chromium' })).rejects.toThrow('CHROMIUM_PATH=/nonexistent/chromium is not an executable file');
  });
});
