/**
 * One test file's browser and server: Chromium and the server start before the file's tests,
 * every context opened through the setup is closed after each test, and the browser and the
 * server are closed after them all.
 */
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { startEmulatorServer, type RunningEmulatorServer } from '../../../emulator';
import { startStack, type Stack } from '../../support/stack';
import { launchBrowser, openPage, type OpenPage, type OpenPageOptions } from './browser';
import { VerifyPage } from './verify-page';

export interface BrowserSetup<S> {
  readonly browser: Browser;
  readonly server: S;
  /** A fresh context, closed after the test. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
}

function useBrowser<S extends { close(): Promise<void> }>(start: () => Promise<S>): BrowserSetup<S> {
  let browser: Browser | undefined;
  let server: S | undefined;
  const contexts: BrowserContext[] = [];
  const closeContexts = async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  };
  beforeAll(async () => {
    browser = await launchBrowser();
    server = await start();
  }, 120_000);
  afterEach(closeContexts);
  afterAll(async () => {
    await closeContexts();
    await browser?.close();
    await server?.close();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the ${what} is not started yet (use it inside a test or hook)`);
    return value;
  };
  return {
    get browser() {
      return started(browser, 'browser');
    },
    get server() {
      return started(server, 'server');
    },
    async newContext(options) {
      const context = await started(browser, 'browser').newContext(options);
      contexts.push(context);
      return context;
    },
  };
}

export interface StackSetup extends BrowserSetup<Stack> {
  /** twilio-run + the emulator (the server of the setup). */
  readonly stack: Stack;
  /** The verification page in a fresh context (see openPage), closed after the test. */
  open(options?: OpenPageOptions): Promise<OpenPage & { verify: VerifyPage }>;
}

/** Chromium and the local stack (twilio-run + the Verify emulator) for the file's tests. */
export function useBrowserAndStack(opts: Parameters<typeof startStack>[0] = {}): StackSetup {
  const setup = useBrowser(() => startStack(opts));
  return {
    get browser() {
      return setup.browser;
    },
    get server() {
      return setup.server;
    },
    get stack() {
      return setup.server;
    },
    newContext: setup.newContext,
    async open(options) {
      const opened = await openPage(
        (contextOptions) => setup.newContext(contextOptions),
        setup.server.baseUrl,
        options,
      );
      return { ...opened, verify: new VerifyPage(opened.page) };
    },
  };
}

/** Chromium and the emulator alone (its inbox page) for the file's tests. */
export function useBrowserAndEmulator(): BrowserSetup<RunningEmulatorServer> {
  return useBrowser(() => startEmulatorServer({ port: 0 }));
}
