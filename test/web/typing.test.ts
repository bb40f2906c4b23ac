/** The web client's typing notices (client/web/src/state/typing.ts): at most one per interval, one trailing, none after sending. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TYPING_INTERVAL_MS, TypingNotifier } from '../../client/web/src/state/typing.ts';

const ROOM = '7a1f3c1e-8d3a-4d0e-9a3e-6b1f2f0c9d11';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function notifier(relayed = true, connected = true) {
  const sent: number[] = [];
  const typing = new TypingNotifier({ canSend: () => connected, send: async () => (sent.push(Date.now()), relayed) });
  return { typing, sent };
}

describe('typing notices', () => {
  it('sends one notice per interval however fast the keys come, plus one at its end while typing goes on', async () => {
    const { typing, sent } = notifier();
    for (let i = 0; i < 20; i++) {
      typing.typing(ROOM);
      await vi.advanceTimersByTimeAsync(100);
    }
    await vi.advanceTimersByTimeAsync(500);
    // 2 s of typing: the first key, then one trailing notice after the interval.
    expect(sent).toHaveLength(2);
    expect(sent[1]! - sent[0]!).toBeGreaterThanOrEqual(TYPING_INTERVAL_MS);
  });

  it('sends no trailing notice once the message was sent', async () => {
    const { typing, sent } = notifier();
    typing.typing(ROOM);
    typing.typing(ROOM);
    typing.stop();
    await vi.advanceTimersByTimeAsync(TYPING_INTERVAL_MS * 3);
    expect(sent).toHaveLength(1);
  });

  it('tries once more shortly when the server did not relay a notice at the edge of its window', async () => {
    const { typing, sent } = notifier(false);
    typing.typing(ROOM);
    await vi.advanceTimersByTimeAsync(1000);
    // One retry only: a second refusal is not retried again.
    expect(sent).toHaveLength(2);
  });

  it('sends nothing while offline', async () => {
    const { typing, sent } = notifier(true, false);
    typing.typing(ROOM);
    await vi.advanceTimersByTimeAsync(TYPING_INTERVAL_MS * 2);
    expect(sent).toHaveLength(0);
  });
});
