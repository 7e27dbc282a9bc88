import type { RouteContext } from '../context';
import type { Route } from '../router';

/**
 * The update and delete routes every Verify resource here has, written once: find the record
 * (a miss is the finder's 20404), apply the change, touch `date_updated`, answer 200 with the
 * record, or 204 for a delete.
 */
export function updateRoute<T extends { dateUpdated: number }>(
  path: string,
  find: (context: RouteContext) => T,
  apply: (record: T, context: RouteContext) => void,
  render: (context: RouteContext) => (record: T) => unknown,
): Route {
  return {
    method: 'POST',
    path,
    handle(context) {
      const record = find(context);
      apply(record, context);
      record.dateUpdated = context.state.clock.now();
      return { status: 200, body: render(context)(record) };
    },
  };
}

export function deleteRoute(path: string, remove: (context: RouteContext) => void): Route {
  return {
    method: 'DELETE',
    path,
    handle(context) {
      remove(context);
      return { status: 204 };
    },
  };
}
