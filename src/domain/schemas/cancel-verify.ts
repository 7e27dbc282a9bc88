import { strictParams, verification } from './fields';

export const cancelVerifySchema = strictParams({ verification: verification() });
