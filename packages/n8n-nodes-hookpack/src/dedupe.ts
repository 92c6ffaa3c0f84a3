import { DEDUPE_WINDOW } from './state.js';

/**
 * Recently accepted dedupe keys, per trigger node, kept in this n8n process. The fast
 * default: writing them to workflow static data costs a database write per delivery, which
 * halves throughput (npm run bench:n8n). Bounded per node; lost on restart.
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
