/** The web client's attachment helpers: the camera line, sizes, durations, URLs and file types as a member reads them. */
import { rgbaToThumbHash } from 'thumbhash';
import { describe, expect, it } from 'vitest';
import { attachmentsOf, bytesUrl, displayUrl, exifLine, fileTypeOf, formatBytes, formatDuration, placeholderOf, thumbUrl, type AttachmentView } from '../../client/web/src/media/attachment-view.ts';

const photo: AttachmentView = {
  id: '0b5f3c1e-8d3a-4d0e-9a3e-6b1f2f0c9d11',
  roomId: '7a1f3c1e-8d3a-4d0e-9a3e-6b1f2f0c9d11',
  kind: 'image',
  name: 'tram.jpg',
  mime: 'image/jpeg',
  size: 2_345_678,
  sha256: 'a'.repeat(64),
  status: 'ready',
  createdAt: '2026-12-03T10:00:00.000Z',
};

describe('attachment view helpers', () => {
  it('writes the camera line a critique needs, in the usual order, leaving out what the photo lacks', () => {
    expect(exifLine({ ...photo, exif: { camera: 'FUJIFILM X-T5', lens: 'XF50mmF1.0 R WR', focalLengthMm: 50, aperture: 1.8, shutter: '1/250', iso: 200 } })).toBe(
      'FUJIFILM X-T5 · XF50mmF1.0 R WR · 50 mm · f/1.8 · 1/250 s · ISO 200',
    );
    expect(exifLine({ ...photo, exif: { camera: 'iPhone 15', focalLengthMm: 6.86, aperture: 1.78 } })).toBe('iPhone 15 · 6.9 mm · f/1.8');
    expect(exifLine({ ...photo, exif: {} })).toBeNull();
    expect(exifLine(photo)).toBeNull();
  });

  it('uses the thumbnail and web rendition only when the server made them', () => {
    expect(thumbUrl(photo)).toBe(`/v1/attachments/${photo.id}`);
    expect(displayUrl(photo)).toBe(`/v1/attachments/${photo.id}`);
    const derived = { ...photo, thumb: { width: 400, height: 267 }, display: { width: 2048, height: 1365 } };
    expect(thumbUrl(derived)).toBe(`/v1/attachments/${photo.id}/thumb`);
    expect(displayUrl(derived)).toBe(`/v1/attachments/${photo.id}/display`);
    expect(bytesUrl(photo)).not.toContain('token');
  });

  it('says sizes and durations the way phones do', () => {
    expect(formatBytes(54, 'en')).toBe('54 B');
    expect(formatBytes(2_345_678, 'en')).toBe('2.3 MB');
    expect(formatBytes(999_999, 'en')).toBe('1 MB');
    expect(formatBytes(150_000_000, 'zh-CN')).toBe('150 MB');
    expect(formatDuration(7.4)).toBe('0:07');
    expect(formatDuration(3723)).toBe('1:02:03');
  });

  it('types a file card by its detected content first, its name second', () => {
    expect(fileTypeOf({ kind: 'file', mime: 'application/pdf', name: 'notes.txt' })).toEqual({ tone: 'pdf', label: 'PDF' });
    expect(fileTypeOf({ kind: 'file', mime: 'text/plain', name: 'times.csv' })).toEqual({ tone: 'sheet', label: 'CSV' });
    expect(fileTypeOf({ kind: 'file', mime: 'application/zip', name: 'mods' })).toEqual({ tone: 'archive', label: 'ZIP' });
    expect(fileTypeOf({ kind: 'file', mime: 'application/octet-stream', name: 'blob' })).toEqual({ tone: 'other', label: 'FILE' });
  });

  it('shows nothing of a recalled message, and copes with a server that sends no attachments', () => {
    expect(attachmentsOf({ recalledAt: '2026-12-03T10:00:00.000Z', attachments: [photo] } as never)).toEqual([]);
    expect(attachmentsOf({ recalledAt: null } as never)).toEqual([]);
    expect(attachmentsOf({ recalledAt: null, attachments: [photo] } as never)).toEqual([photo]);
  });

  it('draws the ThumbHash as a data URL, and nothing for a malformed one', () => {
    const pixels = new Uint8Array(4 * 4 * 4).map((_, i) => (i % 4 === 3 ? 255 : i * 3));
    const hash = Buffer.from(rgbaToThumbHash(4, 4, pixels)).toString('base64');
    expect(placeholderOf({ ...photo, thumbhash: hash })).toMatch(/^data:image\/png;base64,/);
    expect(placeholderOf({ ...photo, thumbhash: '!!!' })).toBeNull();
    expect(placeholderOf(photo)).toBeNull();
  });
});
