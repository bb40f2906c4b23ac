/**
 * One file to POST /v1/rooms/:roomId/attachments, with progress and cancel. XMLHttpRequest
 * rather than fetch: only it reports upload progress in today's browsers. Cancelling aborts the
 * request; the server keeps nothing of a cut-off upload (UPLOAD_INCOMPLETE). A video waits for
 * its poster (poster.ts) and sends it first, in the part before the file, as the server reads them.
 */
import { routeTarget, type AnswerOf } from '../../../sdk/rest.ts';
import type { WireError } from '../state/store.ts';
import type { AttachmentView } from './attachment-view.ts';

export interface UploadHandle {
  done: Promise<AttachmentView>;
  cancel(): void;
}

export const UPLOAD_CANCELLED = 'UPLOAD_CANCELLED';

export function uploadFile(options: { roomId: string; file: File; token: string; poster?: Promise<Blob | null>; onProgress: (sent: number, total: number) => void }): UploadHandle {
  const xhr = new XMLHttpRequest();
  let cancelled = false;
  const done = (options.poster ?? Promise.resolve(null)).then((poster) => new Promise<AttachmentView>((resolve, reject) => {
    if (cancelled) return reject({ code: UPLOAD_CANCELLED, message: 'Cancelled' } satisfies WireError);
    const route = routeTarget('POST /v1/rooms/:roomId/attachments', { roomId: options.roomId });
    xhr.open(route.method, route.path);
    xhr.setRequestHeader('authorization', `Bearer ${options.token}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => options.onProgress(event.loaded, event.lengthComputable ? event.total : options.file.size);
    xhr.onload = () => {
      const body = xhr.response as (AnswerOf<'POST /v1/rooms/:roomId/attachments'> & { error?: undefined }) | { attachment?: undefined; error?: WireError } | null;
      if (xhr.status === 201 && body?.attachment) resolve(body.attachment);
      else reject(body?.error ?? ({ code: 'INTERNAL', message: `HTTP ${xhr.status}` } satisfies WireError));
    };
    xhr.onerror = () => reject({ code: 'NETWORK', message: 'Could not reach the server' } satisfies WireError);
    xhr.onabort = () => reject({ code: UPLOAD_CANCELLED, message: 'Cancelled' } satisfies WireError);
    const form = new FormData();
    if (poster) form.append('poster', poster, 'poster.jpg');
    form.append('file', options.file, options.file.name || 'file');
    xhr.send(form);
  }));
  return {
    done,
    cancel: () => {
      cancelled = true;
      xhr.abort();
    },
  };
}
