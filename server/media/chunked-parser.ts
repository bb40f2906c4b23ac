/**
 * The streaming half that the JPEG and PNG strippers share: incoming chunks are appended to
 * `pending` and the format's `drain` consumes whole segments (or chunks) from it, leaving a
 * partial one for the next write. A parse error fails the stream.
 */
import { Transform, type TransformCallback } from 'node:stream';

export abstract class ChunkedParser extends Transform {
  protected pending: Buffer = Buffer.alloc(0);

  /** Consumes what `pending` holds completely, pushing what is kept; throws on a malformed file. */
  protected abstract drain(): void;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    try {
      this.drain();
      done();
    } catch (err) {
      done(err as Error);
    }
  }
}
