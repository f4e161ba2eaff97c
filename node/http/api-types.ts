/**
 * Names for the types generated from openapi.yaml (`npm run gen`). Import API types from here only;
 * nothing else imports the generated file.
 */
import type { components, paths } from './openapi.generated';

export type { paths };
export type Problem = components['schemas']['Problem'];
