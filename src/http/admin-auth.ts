import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../domain/app-error';
import type { Config } from '../config';
import { bearerToken, type FunctionEvent } from './request';
import type { RouteAuth } from './route-auth';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Compares in constant time: hashing first makes both sides the same length. */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** Admin routes are closed unless ADMIN_TOKEN is set, and need `Authorization: Bearer <token>`. */
export function requireAdmin(event: FunctionEvent, { adminToken }: Config): void {
  if (!adminToken) throw new AppError('admin_disabled');
  const token = bearerToken(event);
  if (token === undefined)
    throw new AppError('unauthorized', {
      message: 'This route needs the admin token: send the header `Authorization: Bearer <ADMIN_TOKEN>`.',
    });
  if (!safeEqual(token, adminToken))
    throw new AppError('unauthorized', {
      message: 'The admin token is not valid (`Authorization: Bearer <ADMIN_TOKEN>`, the value ADMIN_TOKEN is set to).',
    });
}

/** The admin routes' `auth`: ADMIN_TOKEN as a Bearer credential. */
export const adminAuth: RouteAuth<void> = {
  scheme: {
    name: 'adminToken',
    type: 'http',
    scheme: 'bearer',
    description: 'ADMIN_TOKEN (admin routes are closed while it is unset: 403 `admin_disabled`).',
  },
  check: requireAdmin,
};
