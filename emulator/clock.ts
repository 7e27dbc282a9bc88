/** Emulator time: a base source plus an offset that tests and the dev API move forward. */
export interface Clock {
  now(): number;
  /**
   * The base source without the offset: the wall clock, unless the emulator was given another.
   * A real authenticator app shows codes for this time, whatever the emulator clock says.
   */
  wallNow(): number;
  advance(seconds: number): void;
  reset(): void;
}

export function createClock(base: () => number = Date.now): Clock {
  let offsetMs = 0;
  return {
    now: () => base() + offsetMs,
    wallNow: () => base(),
    advance(seconds) {
      if (!Number.isFinite(seconds) || seconds < 0) {
        throw new RangeError('advanceClock: seconds must be a finite number >= 0 (time never goes back)');
      }
      offsetMs += seconds * 1000;
    },
    reset() {
      offsetMs = 0;
    },
  };
}

/**
 * Twilio's wire format for dates: ISO 8601 without fractions.
 * @example toTwilioDate(Date.UTC(2015, 6, 30, 20)) // "2015-07-30T20:00:00Z"
 */
export function toTwilioDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** The HTTP Date header (RFC 7231, second resolution). */
export function toHttpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
