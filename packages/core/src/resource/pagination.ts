import type { Pagination, RestApiDefinition } from '../vendor.js';
import { listContainerOf } from './codec.js';
import { getPath } from './path.js';

export const DEFAULT_MAX_PAGES = 50;

/** Where the next page is: more query parameters on the list endpoint, or a URL to follow. */
export type PageRequest = { query: Record<string, string> } | { url: string };

export function maxPagesOf(pagination: Pagination | undefined): number {
  return pagination ? (pagination.maxPages ?? DEFAULT_MAX_PAGES) : 1;
}

export function firstPage(pagination: Pagination | undefined): PageRequest {
  if (!pagination) return { query: {} };
  const query = sizeQuery(pagination);
  if (pagination.kind === 'page') query[pagination.param] = String(pagination.firstPage ?? 1);
  return { query };
}

/**
 * The page after the one just read, or undefined on the last page. `seen` holds cursors and
 * URLs already followed, so a vendor that hands out the same one again cannot loop us.
 */
export function nextPage(
  api: RestApiDefinition,
  current: PageRequest,
  answer: { body: unknown; headers: Headers; itemCount: number; lastItemId: string | undefined },
  baseUrl: string,
): PageRequest | undefined {
  const pagination = api.list?.pagination;
  if (!pagination || answer.itemCount === 0) return undefined;
  switch (pagination.kind) {
    case 'page': {
      if (answer.itemCount < pagination.pageSize) return undefined;
      const page = 'query' in current ? Number(current.query[pagination.param]) : NaN;
      const number = Number.isFinite(page) ? page + 1 : (pagination.firstPage ?? 1) + 1;
      return { query: { ...sizeQuery(pagination), [pagination.param]: String(number) } };
    }
    case 'cursor': {
      const container = listContainerOf(api, answer.body);
      let cursor: unknown;
      if ('path' in pagination.next) cursor = getPath(container, pagination.next.path);
      else if (getPath(container, pagination.next.hasMore) === true) cursor = answer.lastItemId;
      if (typeof cursor === 'number') cursor = String(cursor);
      if (typeof cursor !== 'string' || cursor === '') return undefined;
      return { query: { ...sizeQuery(pagination), [pagination.param]: cursor } };
    }
    case 'link': {
      const next = pagination.bodyKey
        ? bodyLink(api, answer.body, pagination.bodyKey)
        : linkNext(answer.headers.get('link'));
      if (!next) return undefined;
      let url: URL;
      try {
        url = new URL(next, baseUrl);
      } catch {
        throw new Error(`the ${pagination.bodyKey ?? 'Link header'}'s next page "${next.slice(0, 100)}" is not a URL`);
      }
      // The API key goes with every request: never to another host.
      if (url.origin !== new URL(baseUrl).origin)
        throw new Error(
          `the ${pagination.bodyKey ?? 'Link header'} points the next page to another host (${url.origin})`,
        );
      return { url: url.href };
    }
  }
}

/** The next page's URL at a top-level key of the list answer (`@odata.nextLink`); undefined when absent. */
function bodyLink(api: RestApiDefinition, body: unknown, key: string): string | undefined {
  const container = listContainerOf(api, body);
  if (!container || typeof container !== 'object') return undefined;
  const value = (container as Record<string, unknown>)[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`the list answer's "${key}" is not a URL string`);
  return value;
}

/** Identity of a page request, to notice a vendor sending us in circles. */
export function pageKey(page: PageRequest): string {
  return 'url' in page ? page.url : JSON.stringify(Object.entries(page.query).sort());
}

function sizeQuery(pagination: Pagination): Record<string, string> {
  return pagination.sizeParam ? { [pagination.sizeParam]: String(pagination.pageSize) } : {};
}

/** The `rel="next"` target of an RFC 8288 Link header. */
export function linkNext(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*(.*)$/.exec(part);
    if (!m) continue;
    const rel = /(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(m[2]!);
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (rels.includes('next')) return m[1];
  }
  return undefined;
}
