import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../domain/app-error';
import type { Config } from '../config';
import { header, type FunctionEvent } from './request';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Compares in constant time: hashing first makes both sides the same length. */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** Admin routes are closed unless ADMIN_TOKEN is set, and need `Authorization: Bearer <token>`. */
export function requireAdmin(event: FunctionEvent, { adminToken }: Config): void {
  if (!adminToken) throw new AppError('admin_disabled');
  const match = /^Bearer\s+(.+)$/i.exec(header(event, 'authorization') ?? '');
  if (!match) throw new AppError('unauthorized', { message: 'This route needs the admin token: send the header `Authorization: Bearer <ADMIN_TOKEN>`.' });
  if (!safeEqual(match[1].trim(), adminToken)) throw new AppError('unauthorized', { message: 'The admin token is not valid (`Authorization: Bearer <ADMIN_TOKEN>`, the value ADMIN_TOKEN is set to).' });
}

