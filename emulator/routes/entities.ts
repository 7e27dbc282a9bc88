import { z } from 'zod';
import type { RouteContext } from '../context';
import { TwilioApiError } from '../errors';
import { requireService } from '../lookups';
import { listPage } from '../pagination';
import type { Route } from '../router';
import { entityJson } from '../totp-representations';
import { ensureEntity, findEntity, isIdentity, requireEntity } from '../totp-lifecycle';
import { deleteEntity, type EntityRecord } from '../totp-store';
import { deleteRoute } from './crud';

const createParams = z.object({ Identity: z.string().refine(isIdentity) });

const render = (context: RouteContext) => (entity: EntityRecord) => entityJson(entity, context.state.config.accountSid);

/** Entities: the owner of factors and challenges, named by the caller's opaque Identity. */
export const entityRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v2/Services/:ServiceSid/Entities',
    handle(context) {
      const service = requireService(context);
      const parsed = createParams.safeParse(context.form);
      if (!parsed.success) throw TwilioApiError.of('invalidEntity');
      if (findEntity(context, service, parsed.data.Identity)) throw TwilioApiError.of('entityExists');
      return { status: 201, body: render(context)(ensureEntity(context, service, parsed.data.Identity)) };
    },
  },
  {
    method: 'GET',
    path: '/v2/Services/:ServiceSid/Entities',
    handle(context) {
      const service = requireService(context);
      const entities = [...context.state.store.totp.entities.values()].filter(
        (entity) => entity.serviceSid === service.sid,
      );
      return listPage(context, 'entities', entities, render(context));
    },
  },
  {
    method: 'GET',
    path: '/v2/Services/:ServiceSid/Entities/:Identity',
    handle: (context) => ({ status: 200, body: render(context)(requireEntity(context).entity) }),
  },
  deleteRoute('/v2/Services/:ServiceSid/Entities/:Identity', (context) =>
    deleteEntity(context.state.store.totp, requireEntity(context).entity),
  ),
];
