// What phone.ts takes from libphonenumber-js, in a module of its own so that it can be
// required on first use (see there).
export { parsePhoneNumberFromString } from 'libphonenumber-js/max';
