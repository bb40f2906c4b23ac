/**
 * A TCP proxy a test controls, put between a gateway and PostgreSQL or Redis, so the test can
 * take "the database" away and bring it back without touching the machine's shared servers:
 * `cut()` drops every connection and refuses new ones (what a stopped server looks like to its
 * clients), `restore()` listens again on the same port, and `delayAnswers(ms)` holds every chunk
 * the server sends back for that long (a slow commit, with nothing else changed).
 */
import net from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** `url` with its host and port replaced by the proxy's. */
  urlFor(url: string): string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  /** Holds the server's answers this long before passing them on (0: pass at once). */
  delayAnswers(ms: number): void;
  /** Connections the proxy accepted so far (a client that reconnected has opened new ones). */
  readonly accepted: number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  let answerDelayMs = 0;
  let accepted = 0;
  const server = net.createServer((client) => {
    accepted += 1;
    const upstream = net.connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      // Order is kept: every chunk waits the same delay, and timers of equal delay fire in order.
      if (answerDelayMs === 0) client.write(chunk);
      else setTimeout(() => client.writable && client.write(chunk), answerDelayMs);
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  let listening = true;

  const cut = async () => {
    if (listening) {
      listening = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
      await closed;
    }
  };

  return {
    port,
    urlFor(url: string) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    cut,
    async restore() {
      if (!listening) {
        await listen(port);
        listening = true;
      }
    },
    delayAnswers(ms: number) {
      answerDelayMs = ms;
    },
    get accepted() {
      return accepted;
    },
    close: cut,
  };
}
