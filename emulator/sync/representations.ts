import { toTwilioDate } from '../clock';
import { SYNC_BASE_URL } from '../defaults';
import type { SyncMapItemRecord, SyncMapRecord, SyncServiceRecord } from './store';

/**
 * The snake_case JSON Sync answers with, one function per resource, listing every property of
 * the spec's response schema (components/schemas/sync.v1.service…) in the spec's order.
 * Objects made through the REST API are `created_by: "system"` (Twilio's Maps page).
 */
const V1 = `${SYNC_BASE_URL}/v1`;

const date = (ms: number | null) => (ms === null ? null : toTwilioDate(ms));

const syncServiceUrl = (sid: string) => `${V1}/Services/${sid}`;
const syncMapUrl = (serviceSid: string, mapSid: string) => `${syncServiceUrl(serviceSid)}/Maps/${mapSid}`;

export function syncServiceJson(service: SyncServiceRecord, accountSid: string) {
  const url = syncServiceUrl(service.sid);
  return {
    sid: service.sid,
    // Read-only and never set through the REST API.
    unique_name: null,
    account_sid: accountSid,
    friendly_name: service.friendlyName,
    date_created: toTwilioDate(service.dateCreated),
    date_updated: toTwilioDate(service.dateUpdated),
    url,
    webhook_url: service.webhookUrl,
    webhooks_from_rest_enabled: service.webhooksFromRestEnabled,
    reachability_webhooks_enabled: service.reachabilityWebhooksEnabled,
    acl_enabled: service.aclEnabled,
    reachability_debouncing_enabled: service.reachabilityDebouncingEnabled,
    reachability_debouncing_window: service.reachabilityDebouncingWindow,
    links: { documents: `${url}/Documents`, lists: `${url}/Lists`, maps: `${url}/Maps`, streams: `${url}/Streams` },
  };
}

export function syncMapJson(map: SyncMapRecord, accountSid: string) {
  const url = syncMapUrl(map.serviceSid, map.sid);
  return {
    sid: map.sid,
    unique_name: map.uniqueName,
    account_sid: accountSid,
    service_sid: map.serviceSid,
    url,
    links: { items: `${url}/Items`, permissions: `${url}/Permissions` },
    revision: String(map.revision),
    date_expires: date(map.expiresAt),
    date_created: toTwilioDate(map.dateCreated),
    date_updated: toTwilioDate(map.dateUpdated),
    created_by: 'system',
  };
}

export function syncMapItemJson(item: SyncMapItemRecord, map: SyncMapRecord, accountSid: string) {
  return {
    key: item.key,
    account_sid: accountSid,
    service_sid: map.serviceSid,
    map_sid: map.sid,
    url: `${syncMapUrl(map.serviceSid, map.sid)}/Items/${encodeURIComponent(item.key)}`,
    revision: String(item.revision),
    data: item.data,
    date_expires: date(item.expiresAt),
    date_created: toTwilioDate(item.dateCreated),
    date_updated: toTwilioDate(item.dateUpdated),
    created_by: 'system',
  };
}
