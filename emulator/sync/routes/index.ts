import type { Route } from '../../router';
import { syncMapItemRoutes } from './items';
import { syncMapRoutes } from './maps';
import { syncServiceRoutes } from './services';

/** Every /v1 route: Services, Maps, Map Items. */
export const syncRoutes: Route[] = [...syncServiceRoutes, ...syncMapRoutes, ...syncMapItemRoutes];
