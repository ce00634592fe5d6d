/** The resource context (pkg/ottl/contexts/ottlresource): conditions under `traces|metrics|logs.resource`. */
import type { Resource } from '../../../../../model/resource.ts';
import type { OttlContext } from '../context.ts';
import { resolvePath, resourcePaths } from '../context.ts';
import { NO_ENUMS } from '../enums.ts';

const RESOURCE_PATHS = resourcePaths<Resource>('resource', (r) => r);

export const RESOURCE_CONTEXT: OttlContext<Resource> = {
  name: 'resource',
  enums: NO_ENUMS,
  path: (fields, column) => resolvePath('resource', RESOURCE_PATHS, fields, column),
};
