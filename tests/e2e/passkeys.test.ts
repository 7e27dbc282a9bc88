/**
 * Passkeys on the page in Debian's Chromium, with a CDP virtual authenticator (WebAuthn.enable,
 * WebAuthn.addVirtualAuthenticator: a platform authenticator with user verification): verify a
 * number by SMS, "Add a passkey", see the recovery codes once (copy, download), come back and
 * "Sign in with a passkey". Then what must be refused: the same assertion sent again, an
 * assertion made on another origin (a page at another port of localhost, as a phishing copy
 * would be on its own origin), and a cloned authenticator whose signature counter goes back.
 * The page is opened at http://localhost:PORT: browsers refuse passkeys on an IP address.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CDPSession, Page } from 'playwright-core';
import { generateSigningKey } from '../../scripts/keygen.cjs';
import { openPage } from './helpers/browser';
import { latestCode } from './helpers/emulator';
import { useBrowserAndStack } from './helpers/setup';
import { VerifyPage } from './helpers/verify-page';

const TO = '+14155552671';
const e2e = useBrowserAndStack({
  env: { TOKEN_SIGNING_KEY: generateSigningKey(), TOKEN_AUDIENCE: 'local-backend', PASSKEY_RP_NAME: 'Acme' },
});
const localhost = () => e2e.stack.baseUrl.replace('127.0.0.1', 'localhost');

async function openAtLocalhost(base = localhost()) {
  const opened = await openPage((options) => e2e.newContext(options), base);
  return { ...opened, verify: new VerifyPage(opened.page) };
}

async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/** The JSON answer of the next POST to `path`, with the body the page sent. */
async function exchange(page: Page, path: string, action: () => Promise<unknown>) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === path && r.request().method() === 'POST'),
    action(),
  ]);
  return {
    status: response.status(),
    body: (await response.json()) as Record<string, any>,
    sent: response.request().postData() ?? '',
  };
}

/** SMS code → done step, then "Add a passkey": the virtual authenticator answers the prompt. */
async function verifyAndAddPasskey(verify: VerifyPage, page: Page) {
  await verify.sendToPhone('4155552671');
  await verify.waitForStep('code');
  await verify.typeCode(await latestCode(e2e.stack.emulatorUrl, TO));
  await verify.waitForStep('done');
  const add = page.getByRole('button', { name: 'Add a passkey' });
  await add.waitFor({ state: 'visible' });
  return exchange(page, '/passkey-confirm', () => add.click());
}

async function signInWithPasskey(verify: VerifyPage, page: Page) {
  await verify.phone.fill('4155552671');
  const button = page.getByRole('button', { name: 'Sign in with a passkey' });
  await button.waitFor({ state: 'visible' });
  return exchange(page, '/passkey-check', () => button.click());
}

test('add a passkey after an SMS code, keep the recovery codes shown once, then sign in with the passkey', async () => {
  const { page, verify, watch } = await openAtLocalhost();
  const { cdp, authenticatorId } = await virtualAuthenticator(page);
  const confirmed = await verifyAndAddPasskey(verify, page);
  expect(confirmed.status).toBe(200);
  await page.locator('#totp-notice', { hasText: 'Passkey added.' }).waitFor();
  // The authenticator holds one credential, for the relying party `localhost`.
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(credentials.map((c) => [c.rpId, c.isResidentCredential])).toEqual([['localhost', true]]);

  // Recovery codes, once: 10 on screen, the same 10 in the download link.
  const codes = (await page.locator('#recovery-codes li').allTextContents()).map((code) => code.trim());
  expect(codes).toHaveLength(10);
  expect(codes).toEqual(confirmed.body.recoveryCodes);
  const download = await page.locator('#recovery-download').getAttribute('href');
  for (const code of codes) expect(decodeURIComponent(download ?? '')).toContain(code);
  expect(await verify.activeElementId()).toBe('recovery-title');

  // Later, in the same browser: "Sign in with a passkey" is offered for this number. The
  // virtual authenticator answers the autofill's request as soon as a field has focus, so this
  // path runs as in a browser without conditional mediation (the next test takes the autofill).
  await page.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
  await page.reload();
  await page.evaluate(() =>
    window.addEventListener('verify:approved', (e) =>
      document.body.setAttribute('data-approved', JSON.stringify((e as CustomEvent).detail)),
    ),
  );
  const signedIn = await signInWithPasskey(verify, page);
  expect(signedIn.status).toBe(200);
  await verify.waitForStep('done');
  expect(JSON.parse((await page.locator('body').getAttribute('data-approved')) ?? 'null')).toMatchObject({
    channel: 'passkey',
    token: signedIn.body.token,
  });
  // A passkey's token cannot add factors: neither offer is shown.
  expect(await page.getByRole('button', { name: 'Add a passkey' }).isVisible()).toBe(false);
  expect(await page.getByRole('button', { name: 'Add an authenticator app' }).isVisible()).toBe(false);
  expect(watch.foreignRequests).toEqual([]);
  expect(watch.pageErrors).toEqual([]);
});

test('the browser’s autofill offers the passkey once this browser added one: one discoverable sign-in, no number sent', async () => {
  const { page, verify, watch } = await openAtLocalhost();
  await virtualAuthenticator(page);
  expect((await verifyAndAddPasskey(verify, page)).status).toBe(200);
  await page.locator('#totp-notice', { hasText: 'Passkey added.' }).waitFor();

  await page.reload();
  await page.evaluate(() =>
    window.addEventListener('verify:approved', (e) =>
      document.body.setAttribute('data-approved', JSON.stringify((e as CustomEvent).detail)),
    ),
  );
  // The autofill's check is held while the person also clicks "Sign in with a passkey": one
  // sign-in at a time, so the click starts no second prompt.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/passkey-check', async (route) => {
    await held;
    await route.continue();
  });
  const checkSent = page.waitForRequest((r) => new URL(r.url()).pathname === '/passkey-check');
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/passkey-check');
  await verify.phone.fill('4155552671');
  await checkSent;
  // Clicked from inside the page: Playwright would wait out the busy (aria-disabled) button, a person's click lands.
  await page.locator('#passkey-instead').waitFor({ state: 'visible' }); // labelled "Signing you in…" while busy
  await page.evaluate(() => document.getElementById('passkey-instead')?.click());
  release();
  const response = await answered;
  const signedIn = {
    status: response.status(),
    body: await response.json(),
    sent: response.request().postData() ?? '',
  };
  expect(signedIn.status).toBe(200);
  // Discoverable: the passkey says who, so the page sends no destination.
  expect(Object.keys(JSON.parse(signedIn.sent))).toEqual(['credential']);
  await verify.waitForStep('done');
  expect(JSON.parse((await page.locator('body').getAttribute('data-approved')) ?? 'null')).toMatchObject({
    channel: 'passkey',
    token: signedIn.body.token,
  });
  const posts = (path: string) => watch.requests.filter((r) => new URL(r.url).pathname === path);
  expect(posts('/passkey-check')).toHaveLength(1);
  expect(posts('/passkey-challenge').map((r) => r.postData)).toEqual(['{}']);
  expect(watch.pageErrors).toEqual([]);
});

test('a replayed assertion, one made on another origin and a cloned authenticator (counter going back) are refused', async () => {
  const { page, verify } = await openAtLocalhost();
  const { cdp, authenticatorId } = await virtualAuthenticator(page);
  expect((await verifyAndAddPasskey(verify, page)).status).toBe(200);
  await page.reload();
  const first = await signInWithPasskey(verify, page);
  expect(first.status).toBe(200);

  // Replay: the very request the page sent, again.
  const replay = await fetch(`${e2e.stack.baseUrl}/passkey-check`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: first.sent,
  });
  expect([replay.status, ((await replay.json()) as { error: { code: string } }).error.code]).toEqual([
    401,
    'passkey_not_accepted',
  ]);

  // Another origin on the same RP id (a proxy on another port of localhost): the browser signs
  // with the passkey, the assertion names that origin, and Verify (the emulator) refuses it.
  const proxy = await startProxy(new URL(e2e.stack.baseUrl).port);
  try {
    await page.goto(`http://localhost:${proxy.port}/`);
    const phished = await page.evaluate(async (to) => {
      const post = (path: string, body: object) =>
        fetch(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then((r) => r.json());
      const challenge = await post('/passkey-challenge', { to });
      const credential = (await navigator.credentials.get({
        publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(challenge.publicKey),
      })) as PublicKeyCredential;
      const clientData = JSON.parse(
        new TextDecoder().decode((credential.response as AuthenticatorAssertionResponse).clientDataJSON),
      ) as { origin: string };
      return {
        origin: clientData.origin,
        answer: await post('/passkey-check', { to, credential: JSON.stringify(credential.toJSON()) }),
      };
    }, TO);
    expect(phished.origin).toBe(`http://localhost:${proxy.port}`);
    expect(phished.answer).toMatchObject({ ok: false, error: { code: 'passkey_not_accepted' } });
  } finally {
    await proxy.close();
  }

  // A clone: the same key on another authenticator, its signature counter behind the original's.
  await page.goto(localhost());
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  const [original] = credentials;
  expect(original.signCount).toBeGreaterThan(1);
  await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
  const clone = await virtualAuthenticator(page);
  await clone.cdp.send('WebAuthn.addCredential', {
    authenticatorId: clone.authenticatorId,
    credential: { ...original, signCount: 0 },
  });
  const cloned = await signInWithPasskey(verify, page);
  expect([cloned.status, cloned.body.error?.code]).toEqual([401, 'passkey_not_accepted']);
  await page.locator('#start-error', { hasText: 'That passkey could not sign you in.' }).waitFor();
});

/**
 * A phishing reverse proxy in front of the local front: the same page and functions, served
 * from another origin. Like a real one it speaks to the site as the site expects (its Host and
 * Origin), so nothing but the WebAuthn check can tell.
 */
function startProxy(targetPort: string): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const headers = {
      ...req.headers,
      host: `localhost:${targetPort}`,
      ...(req.headers.origin ? { origin: `http://localhost:${targetPort}` } : {}),
    };
    const upstream = httpRequest(
      { host: '127.0.0.1', port: Number(targetPort), method: req.method, path: req.url, headers, agent: false },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}
