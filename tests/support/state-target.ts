/**
 * One way to reach the functions for the state guarantees (tests/integration/state-guarantees*):
 * over HTTP on the local stack (twilio-run + the emulator, state in the emulator's Sync), or the
 * handlers in this process with the in-memory store. The scenarios are written once against this.
 */
import { generateSigningKey } from '../../scripts/keygen.cjs';
import type { Emulator } from '../../emulator';
import { createMemoryStore } from '../../src/state/memory-store';
import type { StateStore } from '../../src/state/state-store';
import { callHandler, buildEvent, LogTap, type AnyHandler } from './call-handler';
import { expectContract } from './contract';
import { createProjectEmulator, emulatorContext } from './project-emulator';
import { useStack, type Stack } from './stack';

export interface Reply {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Record<string, any>;
}

export interface Target {
  post(path: string, body: Record<string, unknown>, token?: string): Promise<Reply>;
  /** The emulator's developer API (messages, clock, delivery, factors). */
  dev(path: string, body?: unknown): Promise<Record<string, any>>;
}

const AUDIENCE = 'https://backend.example.com';
const STATE_ENV = { TOKEN_SIGNING_KEY: generateSigningKey(), TOKEN_AUDIENCE: AUDIENCE, TOTP_ISSUER: 'Acme' };

/** The local stack, one per file, reset before each test. */
export function useHttpTarget(onReady: (target: Target) => void): void {
  useStack(
    (stack: Stack) =>
      onReady({
        async post(path, body, token) {
          const res = await fetch(`${stack.baseUrl}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
            body: JSON.stringify(body),
          });
          const headers: Record<string, string> = {};
          res.headers.forEach((value, name) => (headers[name] = value));
          return { status: res.status, headers, body: (await res.json()) as Record<string, any> };
        },
        async dev(path, body) {
          const init =
            body === undefined
              ? {}
              : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
          return (await fetch(`${stack.emulatorUrl}${path}`, init)).json() as Promise<Record<string, any>>;
        },
      }),
    { env: STATE_ENV },
  );
}

const ROUTES = [
  'start-verify',
  'check-verify',
  'resend-verify',
  'cancel-verify',
  'verification-status',
  'totp-enroll',
  'totp-confirm',
  'totp-check',
  'totp-remove',
  'totp-factors',
];

/**
 * The handlers in this process against an in-process emulator, sharing `store` (the in-memory
 * adapter unless another is given): what the same scenarios prove with the adapter swapped.
 */
export function useInProcessTarget(
  onReady: (target: Target) => void,
  makeStore: (emulator: Emulator) => StateStore = (e) => createMemoryStore(() => e.now()),
): void {
  const tap = new LogTap();
  let emulator: Emulator;
  let store: StateStore;
  const handlers = new Map<string, AnyHandler>();
  beforeAll(async () => {
    for (const route of ROUTES)
      handlers.set(route, ((await import(`../../functions/${route}`)) as { handler: AnyHandler }).handler);
  });
  beforeEach(() => {
    tap.install();
    emulator = createProjectEmulator();
    store = makeStore(emulator);
  });
  afterEach(() => tap.restore());
  onReady({
    async post(path, body, token) {
      const route = path.replace(/^\//, '');
      const handler = handlers.get(route);
      if (!handler) throw new Error(`no handler for ${path}`);
      const context = { ...emulatorContext(emulator, STATE_ENV), getStateStore: () => store };
      const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
      const answer = await callHandler(handler, context, buildEvent(body, headers));
      expectContract({ path: route, method: 'POST', status: answer.status, body: answer.body });
      const lower = Object.fromEntries(
        Object.entries(answer.headers).map(([name, value]) => [name.toLowerCase(), value]),
      );
      return { status: answer.status, headers: lower, body: answer.body as Record<string, any> };
    },
    async dev(path, body) {
      const res = await emulator.handle({
        method: body === undefined ? 'GET' : 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? '' : JSON.stringify(body),
      });
      return JSON.parse(res.body) as Record<string, any>;
    },
  });
}
