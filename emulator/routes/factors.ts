import { z } from 'zod';
import type { RouteContext } from '../context';
import { invalidParameter } from '../errors';
import { requireService } from '../lookups';
import { listPage } from '../pagination';
import { formInteger, formJsonObject, parseParams } from '../params';
import type { Route } from '../router';
import { newSid } from '../sids';
import { base32Decode, generateTotpSecret, TOTP_ALGORITHMS } from '../totp';
import { factorJson, newFactorJson } from '../totp-representations';
import { ensureEntity, findEntity, identityFrom, requireEntity, requireFactor, verifyFactor } from '../totp-lifecycle';
import { deleteFactor, type FactorRecord } from '../totp-store';
import { deleteRoute, updateRoute } from './crud';

/** RFC 4226 §4 (R6): the shared secret MUST be at least 128 bits. */
const MIN_SECRET_BYTES = 16;

const configFields = {
  'Config.TimeStep': formInteger(20, 60).optional(),
  'Config.Skew': formInteger(0, 2).optional(),
  'Config.CodeLength': formInteger(3, 8).optional(),
  'Config.Alg': z.enum(TOTP_ALGORITHMS).optional(),
};

const createParams = z.object({
  FriendlyName: z.string().min(1).max(64),
  // Push and passkeys need devices and keys the emulator cannot stand in for.
  FactorType: z.literal('totp'),
  'Binding.Secret': z.string().optional(),
  Metadata: formJsonObject.optional(),
  ...configFields,
});

const updateParams = z.object({
  AuthPayload: z.string().optional(),
  FriendlyName: z.string().min(1).max(64).optional(),
  ...configFields,
});

const render = (context: RouteContext) => (factor: FactorRecord) => factorJson(factor, context.state.config.accountSid);

const FACTOR_PATH = '/v2/Services/:ServiceSid/Entities/:Identity/Factors/:Sid';

/** TOTP factors: created `unverified` with a shared secret, verified by a first right code. */
export const factorRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v2/Services/:ServiceSid/Entities/:Identity/Factors',
    handle(context) {
      const service = requireService(context);
      const identity = identityFrom(context);
      const params = parseParams(createParams, context.form);
      let key = generateTotpSecret();
      if (params['Binding.Secret'] !== undefined) {
        const given = base32Decode(params['Binding.Secret']);
        if (!given || given.length < MIN_SECRET_BYTES) throw invalidParameter('Binding.Secret');
        key = given;
      }
      const entity = ensureEntity(context, service, identity);
      const now = context.state.clock.now();
      const factor: FactorRecord = {
        sid: newSid('YF'),
        serviceSid: service.sid,
        entitySid: entity.sid,
        identity,
        friendlyName: params.FriendlyName,
        status: 'unverified',
        key,
        config: {
          alg: params['Config.Alg'] ?? 'sha1',
          timeStep: params['Config.TimeStep'] ?? service.totp.timeStep,
          codeLength: params['Config.CodeLength'] ?? service.totp.codeLength,
          skew: params['Config.Skew'] ?? service.totp.skew,
        },
        metadata: params.Metadata ?? null,
        wrongVerifications: 0,
        challengeTimes: [],
        dateCreated: now,
        dateUpdated: now,
      };
      context.state.store.totp.factors.set(factor.sid, factor);
      const issuer = service.totp.issuer ?? service.friendlyName;
      return { status: 201, body: newFactorJson(factor, context.state.config.accountSid, issuer) };
    },
  },
  {
    method: 'GET',
    path: '/v2/Services/:ServiceSid/Entities/:Identity/Factors',
    handle(context) {
      const service = requireService(context);
      const entity = findEntity(context, service, identityFrom(context));
      const factors = entity
        ? [...context.state.store.totp.factors.values()].filter((factor) => factor.entitySid === entity.sid)
        : [];
      return listPage(context, 'factors', factors, render(context));
    },
  },
  {
    method: 'GET',
    path: FACTOR_PATH,
    handle: (context) => ({
      status: 200,
      body: render(context)(requireFactor(context, requireEntity(context).entity, context.params['Sid'])),
    }),
  },
  updateRoute(
    FACTOR_PATH,
    (context) => requireFactor(context, requireEntity(context).entity, context.params['Sid']),
    (factor, context) => {
      const params = parseParams(updateParams, context.form);
      // The code is judged first, by the settings it was made with: a refused attempt changes nothing else.
      if (params.AuthPayload !== undefined)
        verifyFactor(factor, params.AuthPayload, context.state.clock.now(), context.state.clock.wallNow());
      factor.friendlyName = params.FriendlyName ?? factor.friendlyName;
      factor.config = {
        alg: params['Config.Alg'] ?? factor.config.alg,
        timeStep: params['Config.TimeStep'] ?? factor.config.timeStep,
        codeLength: params['Config.CodeLength'] ?? factor.config.codeLength,
        skew: params['Config.Skew'] ?? factor.config.skew,
      };
    },
    render,
  ),
  deleteRoute(FACTOR_PATH, (context) => {
    const factor = requireFactor(context, requireEntity(context).entity, context.params['Sid']);
    deleteFactor(context.state.store.totp, factor.sid);
  }),
];
