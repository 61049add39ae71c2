import type { World } from './world.ts';

/** The operations API as a merchant's token calls it, on the world a test opened (`world()` read at each call). */
export function operationsCaller(world: () => World, token: string) {
  return (path: string, json?: unknown, init: { method?: string; body?: string } = {}) =>
    world().api(`/operations${path}`, {
      method: init.method ?? (json === undefined && init.body === undefined ? 'GET' : 'POST'),
      headers: { authorization: `Bearer ${token}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(json !== undefined ? { json } : {}),
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
}

/** A payment's operation events as `[type, operation, by]`. */
export const operationEvents = (detail: { events: { type: string; detail: Record<string, unknown> | null }[] }) =>
  detail.events.filter((e) => e.type.startsWith('operation_')).map((e) => [e.type, e.detail?.operation, e.detail?.by]);
