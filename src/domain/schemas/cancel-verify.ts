import type * as z from 'zod/mini';
import { strictParams, verification } from './fields';

export const cancelVerifySchema = strictParams({ verification: verification() });
export type CancelVerifyInput = z.output<typeof cancelVerifySchema>;
