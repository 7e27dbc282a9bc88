// The verification page: start → code → done, authenticator apps, passkeys and recovery codes. Each step is a module in
// page/ (the build bundles them into this one file); this wires them up.
import { wireAddApp } from './page/add-app.js';
import { wireCodeStep } from './page/code-step.js';
import { wirePasskeys } from './page/passkeys.js';
import { wireRecoveryCodes } from './page/recovery-codes.js';
import { wireSignInWithApp } from './page/sign-in-with-app.js';
import { wireStartStep } from './page/start-step.js';

wireStartStep();
wireCodeStep();
wireSignInWithApp();
wireAddApp();
wirePasskeys();
wireRecoveryCodes();
