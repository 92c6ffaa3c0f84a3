/** How many recent dedupe keys are remembered in memory: the bounded redelivery window. */
export const DEDUPE_WINDOW = 500;

/**
 * Recently accepted dedupe keys, per trigger node, kept in this n8n process: the default.
 * Workflow static data is no place for them — n8n 2.x never saves what a webhook call
 * changes there, and 1.x writes the whole object back (subscription secret included) on
 * every delivery. Bounded per node; lost on restart. Shared and durable: the Redis store.
 */
const recentByNode = new Map<string, { keys: Set<string>; order: string[] }>();

/** False when `key` was already accepted for this node within the window (a redelivery). */
export function rememberInMemory(scope: string, key: string, window = DEDUPE_WINDOW): boolean {
  let recent = recentByNode.get(scope);
  if (!recent) {
    recent = { keys: new Set(), order: [] };
    recentByNode.set(scope, recent);
  }
  if (recent.keys.has(key)) return false;
  recent.keys.add(key);
  recent.order.push(key);
  while (recent.order.length > window) recent.keys.delete(recent.order.shift()!);
  return true;
}
