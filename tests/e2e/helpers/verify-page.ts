/** The verification page as the tests drive it: by role and label, like a person would. */
import type { Locator, Page } from 'playwright-core';
import { expectContract } from '../../support/contract';

export type Step = 'start' | 'code' | 'done';
export type ChannelLabel = 'SMS' | 'Call' | 'WhatsApp' | 'Email' | 'RCS';

/** The JSON the functions answer with (success or failure). */
export interface ApiAnswer {
  ok: boolean;
  /** The verification handle (start and resend answers). */
  verification?: string;
  sid?: string;
  to?: string;
  channel?: string;
  /** For failures: the verification's state when Verify reported it (e.g. max_attempts_reached). */
  status?: string;
  sendCodeAttempts?: number;
  retryAfter?: number;
  nextChannel?: string;
  error?: { code: string; message: string; field?: string; retryAfter?: number };
}

export class VerifyPage {
  constructor(readonly page: Page) {}

  step(name: Step): Locator {
    return this.page.locator(`section[data-step="${name}"]`);
  }

  async waitForStep(name: Step): Promise<void> {
    await this.step(name).waitFor({ state: 'visible' });
  }

  async visibleStep(): Promise<Step> {
    return this.page.locator('section[data-step]:not([hidden])').getAttribute('data-step') as Promise<Step>;
  }

  channel(name: ChannelLabel): Locator {
    return this.page.getByRole('radio', { name, exact: true });
  }

  get phone(): Locator {
    return this.page.getByLabel('Phone number', { exact: true });
  }
  get country(): Locator {
    return this.page.getByLabel('Country', { exact: true });
  }
  get email(): Locator {
    return this.page.getByLabel('Email address', { exact: true });
  }
  get locale(): Locator {
    return this.page.getByLabel('Message language', { exact: true });
  }
  get code(): Locator {
    return this.page.locator('#code');
  }
  get sendButton(): Locator {
    return this.page.getByRole('button', { name: 'Send code', exact: true });
  }
  get resendButton(): Locator {
    return this.page.locator('#resend');
  }
  /** "Call me instead" and the like: the server's next channel. */
  get switchButton(): Locator {
    return this.page.locator('#switch');
  }
  get codeError(): Locator {
    return this.page.locator('#code-error');
  }
  get deadEnd(): Locator {
    return this.page.locator('#code-dead-end');
  }
  get sentTo(): Locator {
    return this.page.locator('#sent-to');
  }
  get liveRegion(): Locator {
    return this.page.locator('[aria-live]');
  }

  /** Runs `action` and returns the JSON answer of the next call to `path`. */
  async answerOf(
    path: 'start-verify' | 'resend-verify' | 'check-verify' | 'cancel-verify',
    action: () => Promise<unknown>,
  ): Promise<ApiAnswer> {
    const [response] = await Promise.all([
      this.page.waitForResponse((r) => new URL(r.url()).pathname === `/${path}` && r.request().method() === 'POST'),
      action(),
    ]);
    const answer = (await response.json()) as ApiAnswer;
    expectContract({ path, method: 'POST', status: response.status(), body: answer });
    return answer;
  }

  /** Step 1 with a phone channel: country + number, then "Send code". */
  async sendToPhone(number: string, options: { country?: string; channel?: ChannelLabel } = {}): Promise<ApiAnswer> {
    await this.channel(options.channel ?? 'SMS').check();
    if (options.country) await this.country.selectOption(options.country);
    await this.phone.fill(number);
    return this.answerOf('start-verify', () => this.sendButton.click());
  }

  async sendToEmail(address: string): Promise<ApiAnswer> {
    await this.channel('Email').check();
    await this.email.fill(address);
    return this.answerOf('start-verify', () => this.sendButton.click());
  }

  /** Types the code digit by digit; the page submits on the last one. */
  async typeCode(code: string): Promise<ApiAnswer> {
    await this.code.fill('');
    return this.answerOf('check-verify', () => this.code.pressSequentially(code));
  }

  /** The text a sighted person reads: screen-reader-only text left out, white space collapsed. */
  async seenText(target: Locator): Promise<string> {
    return target.evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.visually-hidden').forEach((hidden) => hidden.remove());
      return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
    });
  }

  /** The text of every element `control` points at with aria-describedby. */
  async descriptionOf(control: Locator): Promise<string> {
    return control.evaluate((el) =>
      (el.getAttribute('aria-describedby') ?? '')
        .split(/\s+/)
        .map((id) => document.getElementById(id))
        .filter((d): d is HTMLElement => !!d && !d.hidden)
        .map((d) => d.textContent ?? '')
        .join(' '),
    );
  }

  async activeElementId(): Promise<string> {
    return this.page.evaluate(
      () =>
        document.activeElement?.id ||
        document.activeElement?.getAttribute('name') ||
        document.activeElement?.tagName ||
        '',
    );
  }

  /** Marks the window so a test can prove no reload happened since. */
  async markWindow(): Promise<void> {
    await this.page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
  }

  async windowStillMarked(): Promise<boolean> {
    return this.page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload === true);
  }
}
