import type { Adapter, AdapterPayload, ClientMetadata } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

/**
 * oidc-provider's storage, in memory and per provider instance (its built-in one is shared by the
 * whole process and warns on every start). Tokens, sessions and grants vanish on restart; fine for
 * a dev login.
 *
 * The registered clients are served from here too, not from the `clients` setting: that setting
 * deep-copies them with the global structuredClone, which under Jest belongs to another realm, and
 * oidc-provider then rejects the copied `jwks` as "not a plain object".
 */
export function createMemoryAdapterFactory(
  clients: readonly ClientMetadata[],
): (model: string) => Adapter {
  const entries = new Map<string, Entry>();
  for (const client of clients) {
    entries.set(`Client:${client.client_id}`, { payload: client, expiresAt: Infinity });
  }
  const sessionIdByUid = new Map<string, string>();
  const keysByGrant = new Map<string, Set<string>>();

  const live = (key: string): AdapterPayload | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) entries.delete(key);
    return entry && entry.expiresAt > Date.now() ? entry.payload : undefined;
  };

  return (model) => {
    const key = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        const expiresAt = Number.isFinite(expiresIn) ? Date.now() + expiresIn * 1000 : Infinity;
        entries.set(key(id), { payload, expiresAt });
        if (model === 'Session' && payload.uid) sessionIdByUid.set(payload.uid, id);
        if (payload.grantId) {
          const keys = keysByGrant.get(payload.grantId) ?? new Set<string>();
          keysByGrant.set(payload.grantId, keys.add(key(id)));
        }
      },
      async find(id) {
        return live(key(id));
      },
      async findByUid(uid) {
        const id = sessionIdByUid.get(uid);
        return id === undefined ? undefined : live(key(id));
      },
      async findByUserCode() {
        return undefined; // the device flow is not enabled
      },
      async consume(id) {
        const payload = live(key(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        const payload = live(key(id));
        if (payload?.uid) sessionIdByUid.delete(payload.uid);
        entries.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        for (const grantKey of keysByGrant.get(grantId) ?? []) entries.delete(grantKey);
        keysByGrant.delete(grantId);
      },
    };
  };
}
