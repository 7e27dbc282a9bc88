/** Where a code can go: phone channels need E.164 ("+" and up to 15 digits), email needs an address. */
const E164_PATTERN = /^\+[1-9]\d{1,14}$/;
const EMAIL_PATTERN = /^[^\s@:]+@[^\s@:]+\.[^\s@:]+$/;

export const isPhoneNumber = (value: string): boolean => E164_PATTERN.test(value);
export const isEmailAddress = (value: string): boolean => EMAIL_PATTERN.test(value);
