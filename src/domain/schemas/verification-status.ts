import { strictParams, verification } from './fields';

export const verificationStatusSchema = strictParams({ verification: verification() });
