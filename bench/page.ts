/**
 * 5. Page: bytes of the page and everything it loads, number of requests, third-party
 * requests, and time to interactive, in Debian's headless Chromium with a cold cache
 * (a fresh browser context per load).
 *
 * Time to interactive, simplified from Lighthouse's definition: the latest of
 * DOMContentLoaded end (module scripts have run and attached their handlers), first
 * contentful paint, and the end of the last long task (> 50 ms) seen by a PerformanceObserver.
 */
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { summarize, type Figure } from './stats';

const PAGE_BYTES_TARGET = 40_000;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const OBSERVE_LONG_TASKS = `
  window.__benchLongTasks = [];
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__benchLongTasks.push([e.startTime, e.duration]); })
      .observe({ type: 'longtask', buffered: true });
  } catch (e) {}
`;

interface Load {
  bytes: number;
  transfer: number;
  gzip: number;
  requests: number;
  thirdParty: string[];
  failed: string[];
  tti: number;
  fcp: number;
  load: number;
}

export async function pageLoad(pageUrl: string, options: { loads: number }): Promise<Figure[]> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const loads: Load[] = [];
  const origin = new URL(pageUrl).origin;
  try {
    for (let i = 0; i < options.loads + 1; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(OBSERVE_LONG_TASKS);
      const finished: Array<Promise<{ body: number; transfer: number; gzip: number }>> = [];
      const urls: string[] = [];
      const failed: string[] = [];
      page.on('request', (request) => {
        if (!/^(data|blob):/.test(request.url())) urls.push(request.url());
      });
      page.on('requestfailed', (request) => failed.push(request.url()));
      page.on('requestfinished', (request) => {
        if (/^(data|blob):/.test(request.url())) return;
        finished.push(
          (async () => {
            const sizes = await request.sizes();
            const response = await request.response();
            const body = response ? await response.body().catch(() => Buffer.alloc(0)) : Buffer.alloc(0);
            return {
              body: sizes.responseBodySize,
              transfer:
                sizes.responseBodySize + sizes.responseHeadersSize + sizes.requestHeadersSize + sizes.requestBodySize,
              gzip: body.length > 0 ? gzipSync(body, { level: 9 }).length : 0,
            };
          })(),
        );
      });
      await page.goto(pageUrl, { waitUntil: 'networkidle' });
      const timing = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0;
        const tasks = (window as unknown as { __benchLongTasks: Array<[number, number]> }).__benchLongTasks ?? [];
        const lastTask = Math.max(0, ...tasks.map(([start, duration]) => start + duration));
        return { tti: Math.max(nav.domContentLoadedEventEnd, fcp, lastTask), fcp, load: nav.loadEventEnd };
      });
      const sizes = await Promise.all(finished);
      await context.close();
      if (i === 0) continue; // the first load warms Chromium itself and the server's file cache
      loads.push({
        bytes: sizes.reduce((sum, s) => sum + s.body, 0),
        transfer: sizes.reduce((sum, s) => sum + s.transfer, 0),
        gzip: sizes.reduce((sum, s) => sum + s.gzip, 0),
        requests: urls.length,
        thirdParty: urls.filter((url) => new URL(url).origin !== origin),
        failed,
        ...timing,
      });
    }
  } finally {
    await browser.close();
  }

  const bytes = summarize(loads.map((l) => l.bytes));
  const requests = summarize(loads.map((l) => l.requests));
  const third = summarize(loads.map((l) => l.thirdParty.length));
  const tti = summarize(loads.map((l) => l.tti));
  const fcp = summarize(loads.map((l) => l.fcp));
  const last = loads[loads.length - 1];
  const failedNote = last.failed.length ? `; failed: ${last.failed.join(', ')}` : '';
  return [
    {
      group: 'page',
      name: 'bytes loaded (bodies, uncompressed)',
      median: bytes.median,
      p95: bytes.p95,
      samples: bytes.samples,
      unit: 'B',
      target: `< ${PAGE_BYTES_TARGET.toLocaleString('en-US')} B (40 KB)`,
      pass: bytes.max < PAGE_BYTES_TARGET,
      note: `with headers ${summarize(loads.map((l) => l.transfer)).median.toLocaleString('en-US')} B; gzip -9 of the bodies ${summarize(loads.map((l) => l.gzip)).median.toLocaleString('en-US')} B${failedNote}`,
    },
    {
      group: 'page',
      name: 'requests',
      median: requests.median,
      p95: requests.p95,
      samples: requests.samples,
      unit: 'requests',
      target: 'report',
      pass: null,
      note: last.failed.length ? `failed: ${last.failed.join(', ')}` : undefined,
    },
    {
      group: 'page',
      name: 'third-party requests',
      median: third.median,
      p95: third.p95,
      samples: third.samples,
      unit: 'requests',
      target: '0',
      pass: third.max === 0,
      note:
        third.max > 0
          ? loads
              .flatMap((l) => l.thirdParty)
              .slice(0, 5)
              .join(', ')
          : undefined,
    },
    {
      group: 'page',
      name: 'time to interactive',
      median: tti.median,
      p95: tti.p95,
      samples: tti.samples,
      unit: 'ms',
      target: 'report',
      pass: null,
      note: `first contentful paint median ${fcp.median.toFixed(0)} ms; cold cache, loopback`,
    },
  ];
}
