import type { PasskeySettings } from './store';
import { VERIFY_CHANNELS, type VerifyChannel } from '../twilio-facts/verify-channels';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type { EmulatorTotpFactor } from './totp-inbox';

/** One HTTP exchange as `Emulator.handle` sees it, whichever way it came in. */
export interface EmulatorRequest {
  method: string;
  /** Path, may carry a `?query`. */
  path: string;
  headers: Record<string, string | undefined>;
  /** Raw body: form-encoded (what the SDK sends) or JSON. */
  body: string;
}

export interface EmulatorResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** A fault asked for the connection to be dropped instead of answered. */
  drop?: boolean;
}

export type RequestHandler = (request: EmulatorRequest) => Promise<EmulatorResponse>;

/** Channels the emulator delivers on: Verify's (its `sna` and `auto` need carrier features it cannot fake). */
export const CHANNELS = VERIFY_CHANNELS;
export type Channel = VerifyChannel;

/** A code "delivered" to a person, as the inbox page and `GET /emulator/v1/messages` show it. */
export interface EmulatorMessage {
  /** The send attempt's SID (VL…), also listed in the verification's `send_code_attempts`. */
  sid: string;
  to: string;
  channel: Channel;
  /** What the person receives: SMS/WhatsApp/RCS text, email subject and text, or the call's spoken words. */
  body: string;
  /** Email subject; only for the email channel. */
  subject?: string;
  code: string;
  locale: string;
  verificationSid: string;
  serviceSid: string;
  /** ISO 8601, emulator clock. */
  dateCreated: string;
  /** `undelivered` when the channel's delivery outcome says so (the person never saw it). */
  status: DeliveryOutcome;
}

/** What happens to messages on a channel: set per channel to make fallbacks observable. */
export type DeliveryOutcome = 'delivered' | 'undelivered';

interface SeedRateLimit {
  uniqueName: string;
  description?: string;
  buckets: ReadonlyArray<{ max: number; interval: number }>;
}

export interface SeedServiceOptions {
  sid?: string;
  friendlyName?: string;
  codeLength?: number;
  /** Twilio enables CustomFriendlyName on request; off by default, as on a new account. */
  customFriendlyNameEnabled?: boolean;
  /** The seeded service has an email integration unless this is false. */
  mailer?: boolean;
  /** Programmable Rate Limits (with buckets) the seeded service starts with, e.g. an app's own. */
  rateLimits?: readonly SeedRateLimit[];
  /** The Service's passkeys settings (relying party and criteria), as `Passkeys.*` would set them. */
  passkeys?: PasskeySettings;
}

/** The Sync Service created on start and after every reset, with Maps of these unique names. */
export interface SeedSyncOptions {
  /** Default EMULATOR_SYNC_SERVICE_SID. */
  sid?: string;
  /** Unique names of the Maps to create in it (the callers' own; the emulator knows none). */
  maps?: readonly string[];
}

export interface EmulatorOptions {
  accountSid?: string;
  authToken?: string;
  /** The service created on start and after every reset; `false` starts empty. */
  seedService?: SeedServiceOptions | false;
  /** The Sync Service (and Maps) created on start and after every reset; default the service with no Maps; `false` starts empty. */
  seedSync?: SeedSyncOptions | false;
  /** Destination (phone or email) → fixed code, for demos and app-store review. */
  testNumbers?: Record<string, string>;
  /** Base time source in ms; `advanceClock` adds to it. Defaults to `Date.now`. */
  now?: () => number;
}

export interface Emulator {
  /** The single entry point: the HTTP server and the in-process client both call it, so they share state. */
  handle: RequestHandler;
  /** Pass as `twilio(accountSid, authToken, { httpClient })`; the SDK only ever calls `request()` on it. */
  httpClient: RequestClient;
  /** Delivered messages, oldest first. */
  messages(filter?: { to?: string }): EmulatorMessage[];
  /** TOTP factors, newest first, each with the code an authenticator app would show now (emulator clock). */
  totpFactors(): EmulatorTotpFactor[];
  /** Empties all state (Verify and Sync services and all under them, messages, faults, clock offset), then re-seeds. */
  reset(): void;
  advanceClock(seconds: number): void;
  /** Makes every later message on `channel` arrive (default) or not, e.g. WhatsApp undelivered. */
  setDeliveryOutcome(channel: Channel, outcome: DeliveryOutcome): void;
  /** Current emulator time in ms. */
  now(): number;
  readonly accountSid: string;
  readonly authToken: string;
  /** SID of the seeded service, undefined when seeding is off. */
  readonly serviceSid: string | undefined;
  /** SID of the seeded Sync Service, undefined when Sync seeding is off. */
  readonly syncServiceSid: string | undefined;
}
