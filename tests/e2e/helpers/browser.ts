/** Launching Debian's chromium through playwright-core, and pages that watch what they load. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { guardContract } from './contract-guard';

const CHROMIUM_PATH = '/usr/bin/chromium';

export const VIEWPORTS = {
  mobile: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

/** Fails (never skips) when the browser is missing: a green run must mean the page was tested. */
export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing. Install Debian's chromium (apt-get install -y chromium); browser tests do not skip.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** What a page did besides showing itself: requests it made, errors it threw, lines it logged. */
interface PageWatch {
  requests: { url: string; method: string; postData: string | null }[];
  foreignRequests: string[];
  pageErrors: string[];
  console: string[];
}

export interface OpenPage {
  context: BrowserContext;
  page: Page;
  watch: PageWatch;
}

export interface OpenPageOptions {
  viewport?: ViewportName;
  colorScheme?: 'light' | 'dark';
  locale?: string;
}

/** A fresh context (no shared storage, from `newContext`) on the page, recording every request and error. */
export async function openPage(
  newContext: (options: BrowserContextOptions) => Promise<BrowserContext>,
  baseUrl: string,
  options: OpenPageOptions = {},
): Promise<OpenPage> {
  const context = await newContext({
    viewport: VIEWPORTS[options.viewport ?? 'desktop'],
    colorScheme: options.colorScheme ?? 'light',
    locale: options.locale ?? 'en-US',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const watch: PageWatch = { requests: [], foreignRequests: [], pageErrors: [], console: [] };
  const origin = new URL(baseUrl).origin;
  page.on('request', (request) => {
    const url = request.url();
    watch.requests.push({ url, method: request.method(), postData: request.postData() });
    if (!url.startsWith('data:') && new URL(url).origin !== origin) watch.foreignRequests.push(url);
  });
  guardContract(page);
  page.on('pageerror', (error) => watch.pageErrors.push(error.message));
  page.on('console', (message) => watch.console.push(message.text()));
  // twilio-run serves assets by path; "/" is only mapped to /assets/index.html.
  await page.goto(`${baseUrl}/index.html`);
  await page.locator('#country option').first().waitFor({ state: 'attached' });
  return { context, page, watch };
}
