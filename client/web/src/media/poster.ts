/**
 * A video's poster, captured in the browser from the file being uploaded: its first frame as a
 * JPEG, sent with the video (the `poster` part) so the timeline and the album show a picture
 * before anyone presses play. The server never decodes a video's frames itself; it checks the
 * poster as it checks a photo. A file the browser cannot play gives no poster, and the video is
 * sent without one.
 */

/** Long edge of the captured frame: the server makes its 400-pixel thumbnail from it. */
const POSTER_EDGE = 1280;
/** A file the browser cannot decode quickly is sent without a poster rather than held up. */
const CAPTURE_TIMEOUT_MS = 5_000;

export function capturePoster(file: File): Promise<Blob | null> {
  const url = URL.createObjectURL(file);
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.preload = 'auto';
  return new Promise<Blob | null>((resolve) => {
    const finish = (blob: Blob | null) => {
      clearTimeout(timer);
      video.removeAttribute('src');
      video.load();
      URL.revokeObjectURL(url);
      resolve(blob);
    };
    const timer = setTimeout(() => finish(null), CAPTURE_TIMEOUT_MS);
    video.onerror = () => finish(null);
    // A first frame is often black (a fade-in): a tenth of a second in, when the video is that long.
    video.onloadeddata = () => {
      video.currentTime = Math.min(0.1, (video.duration || 0) / 2);
    };
    video.onseeked = () => {
      const scale = Math.min(1, POSTER_EDGE / Math.max(video.videoWidth, video.videoHeight));
      const width = Math.round(video.videoWidth * scale);
      const height = Math.round(video.videoHeight * scale);
      if (width === 0 || height === 0) return finish(null);
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext('2d');
      if (!context) return finish(null);
      context.drawImage(video, 0, 0, width, height);
      canvas.toBlob((blob) => finish(blob), 'image/jpeg', 0.85);
    };
    video.src = url;
  });
}
