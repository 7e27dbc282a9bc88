import type * as z from 'zod/mini';
import { strictParams, verification } from './fields';

export const verificationStatusSchema = strictParams({ verification: verification() });
export type VerificationStatusInput = z.output<typeof verificationStatusSchema>;
