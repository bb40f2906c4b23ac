/**
 * The list of message requests read from the server while requests arrive live: an answer that
 * left the server before a request arrived must not drop it, nor bring back one this page has
 * since ignored.
 */
import { describe, expect, it } from 'vitest';
import type { QuanziClient } from '../../client/sdk/index.ts';
import { DirectMessages } from '../../client/web/src/state/dms.ts';
import type { DmRequest } from '../../shared/people.ts';

const ME = { id: 'me', username: 'bo', displayName: 'Bo' };
const request = (id: string, at: string): DmRequest =>
  ({ id, sender: { id: `from-${id}`, username: `u_${id}`, displayName: id }, recipient: ME, text: `hello from ${id}`, status: 'pending', roomId: null, createdAt: at }) as DmRequest;

function withSlowServer(answer: () => DmRequest[]) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const rest = {
    call: async (route: string) => {
      if (route === 'GET /v1/dms') return { conversations: [] };
      if (route === 'GET /v1/dms/requests') {
        const snapshot = answer();
        await gate;
        return { requests: snapshot, sent: [] };
      }
      return {};
    },
  };
  const dms = new DirectMessages({ client: { rest } as unknown as QuanziClient, me: ME, touch: () => {}, adoptRoom: () => {} });
  return { dms, release };
}

describe('loading message requests', () => {
  it('keeps a request that arrived live while the list was on its way, newest first', async () => {
    const early = request('early', '2026-12-04T03:00:00.000Z');
    const { dms, release } = withSlowServer(() => [early]);
    const loading = dms.load();
    dms.onRequest(request('live', '2026-12-04T03:00:05.000Z'));
    release();
    await loading;
    expect(dms.requests.map((r) => r.id)).toEqual(['live', 'early']);
  });

  it('does not bring back a request this page ignored while the list was on its way', async () => {
    const old = request('old', '2026-12-04T03:00:00.000Z');
    const { dms, release } = withSlowServer(() => [old]);
    dms.onRequest(old);
    const loading = dms.load();
    await dms.ignore('old');
    release();
    await loading;
    expect(dms.requests).toEqual([]);
  });
});
