/**
 * judgeAttachment on its own (the HTTP tests cover the upload path): what a picture that could
 * not be read means, and which checks the owner and admins skip. The QR decoder is replaced only
 * here, to make it time out or fail on demand; test/media/qr-decoder.test.ts drives the real one.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { QrDecoder, QrScan } from '../../server/media/qr-decoder.ts';
import { judgeAttachment, type AttachmentToJudge } from '../../server/safety/attachments.ts';
import { createSafetyPipeline, resolvePolicy } from '../../server/safety/pipeline.ts';
import type { SafetyContext, SenderRole } from '../../server/safety/types.ts';
import { photo } from '../media/safety-pictures.ts';

const pipeline = createSafetyPipeline();

function decoderAnswering(answer: () => Promise<QrScan>): QrDecoder {
  return { decode: answer, close: async () => {} };
}

function context(role: SenderRole, policy: unknown = {}): SafetyContext {
  return { roomId: 'room-1', sender: { id: 'user-1', role, joinedAt: new Date(Date.now() - 86_400_000) }, policy: resolvePolicy(policy), now: Date.now() };
}

async function picture(seed: number): Promise<AttachmentToJudge> {
  const bytes = await photo(seed);
  return { name: 'photo.jpg', kind: 'image', mime: 'image/jpeg', risk: null, read: () => Readable.from([bytes]) };
}

const noLookalikes = async () => [];

describe('judgeAttachment', () => {
  it('holds a picture whose QR scan timed out or failed, rather than letting it through unread', async () => {
    const file = await picture(81);
    const timedOut = await judgeAttachment(file, context('member'), { pipeline, qr: decoderAnswering(async () => ({ texts: [], timedOut: true, ms: 2000 })), findLookalikes: noLookalikes });
    expect(timedOut).toMatchObject({ action: 'hold', reasons: [{ code: 'QR_SCAN_INCOMPLETE', rule: 'qr', detail: '2000 ms' }], qrMs: 2000 });
    expect(typeof timedOut.phash).toBe('bigint');
    const failed = await judgeAttachment(file, context('member'), { pipeline, qr: decoderAnswering(() => Promise.reject(new Error('worker died'))), findLookalikes: noLookalikes });
    expect(failed).toMatchObject({ action: 'hold', reasons: [{ code: 'QR_SCAN_INCOMPLETE', detail: 'the decoder failed' }] });
    // With the QR check off, nothing is decoded and nothing held.
    const off = await judgeAttachment(file, context('member', { rules: { qr: 'off' } }), { pipeline, qr: decoderAnswering(() => Promise.reject(new Error('not called'))), findLookalikes: noLookalikes });
    expect(off.action).toBe('allow');
  });

  it('does not look for look-alikes of the owner\'s pictures, and does for a member\'s', async () => {
    const file = await picture(82);
    const qr = decoderAnswering(async () => ({ texts: [], timedOut: false, ms: 5 }));
    const elsewhere = async () => [
      { roomId: 'room-2', uploaderId: 'user-1' },
      { roomId: 'room-3', uploaderId: 'user-1' },
    ];
    expect((await judgeAttachment(file, context('owner'), { pipeline, qr, findLookalikes: elsewhere })).action).toBe('allow');
    expect(await judgeAttachment(file, context('member'), { pipeline, qr, findLookalikes: elsewhere })).toMatchObject({
      action: 'hold',
      reasons: [{ code: 'IMAGE_REPEATED_ACROSS_ROOMS', detail: '3 rooms by the same uploader' }],
    });
    // The same room twice is not "across rooms".
    const sameRoom = async () => [
      { roomId: 'room-1', uploaderId: 'user-1' },
      { roomId: 'room-1', uploaderId: 'user-1' },
    ];
    expect((await judgeAttachment(file, context('member'), { pipeline, qr, findLookalikes: sameRoom })).action).toBe('allow');
  });
});
