import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEmulator } from './emulator';
import type { Emulator, EmulatorOptions } from './types';

export interface StartEmulatorServerOptions extends EmulatorOptions {
  /** Serve this emulator (sharing its state with its in-process httpClient); else a new one. */
  emulator?: Emulator;
  /** Loopback only; default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port; default 0. */
  port?: number;
}

export interface RunningEmulatorServer {
  /** e.g. http://127.0.0.1:3001 */
  url: string;
  port: number;
  emulator: Emulator;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** The dev API has no auth and shows codes, so the emulator never listens beyond this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Hosts a request may name. Loopback names, plus verify.twilio.com and sync.twilio.com for
 * forwarding clients that keep the SDK's Host. Anything else is refused, which stops a web page from reaching
 * the emulator through DNS rebinding.
 */
function isAllowedHostHeader(hostHeader: string | undefined): boolean {
  if (!hostHeader) return true;
  const name = hostHeader.startsWith('[')
    ? hostHeader.slice(0, hostHeader.indexOf(']') + 1)
    : (hostHeader.split(':')[0] ?? '');
  return isLoopbackHost(name) || name === 'verify.twilio.com' || name === 'sync.twilio.com';
}

/** Collects the body and calls back once, without a promise of its own per request. */
function readBody(request: IncomingMessage, done: (body: string) => void, fail: (error: Error) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      fail(new Error('request body too large'));
      request.destroy();
      return;
    }
    chunks.push(chunk);
  });
  request.on('end', () => {
    if (size > MAX_BODY_BYTES) return;
    done(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'));
  });
  request.on('error', fail);
}

function flattenHeaders(request: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  const given = request.headers;
  for (const name of Object.keys(given)) {
    const value = given[name];
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** Serves the emulator over node:http on loopback. */
export function startEmulatorServer(options: StartEmulatorServerOptions = {}): Promise<RunningEmulatorServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    return Promise.reject(new Error(`Refusing to bind the Verify emulator to ${host}: it only listens on loopback`));
  }
  const emulator = options.emulator ?? createEmulator(options);

  const server = createServer((request, response) => {
    if (!isAllowedHostHeader(request.headers.host)) {
      response
        .writeHead(403, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'unexpected Host header' }));
      return;
    }
    const fail = (error: unknown) => {
      if (!response.headersSent && !response.destroyed) {
        response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
      }
    };
    readBody(
      request,
      (body) => {
        emulator
          .handle({ method: request.method ?? 'GET', path: request.url ?? '/', headers: flattenHeaders(request), body })
          .then((answer) => {
            if (answer.drop) {
              request.socket.destroy();
              return;
            }
            response.writeHead(answer.status, answer.headers).end(answer.body);
          })
          .catch(fail);
      },
      fail,
    );
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host.replace(/^\[|\]$/g, ''), () => {
      const { port } = server.address() as AddressInfo;
      const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
      resolve({
        url: `http://${urlHost}:${port}`,
        port,
        emulator,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
