import type { RestApiDefinition } from '@hookpack/core';
import type { SubscriptionRecord } from './state.js';

/** Largest page the sandbox serves, whatever size a client asks for. */
const MAX_PAGE_SIZE = 100;

export type PageResult =
  | { items: SubscriptionRecord[]; next?: string; link?: string; nextUrl?: string }
  | { error: string; details: Record<string, string> };

/**
 * One page of a list, paged the way the vendor's description says: by page number, by a
 * cursor (the id of the first item of the next page, or Stripe-style "starting after" the
 * last item's id), or with a `Link: rel="next"` header. Unpaged vendors get everything.
 */
/** The next page's URL: in a `Link` header, or in the body under `bodyKey` (rendered by the codec). */
function linkTo(href: string): { link?: string; nextUrl: string } {
  return { link: `<${href}>; rel="next"`, nextUrl: href };
}

export function pageOf(
  api: RestApiDefinition,
  all: SubscriptionRecord[],
  query: URLSearchParams,
  requestUrl: string,
): PageResult {
  const pagination = api.list?.pagination;
  if (!pagination) return { items: all };
  let size = pagination.pageSize;
  if (pagination.sizeParam && query.has(pagination.sizeParam)) {
    const asked = Number(query.get(pagination.sizeParam));
    if (!Number.isInteger(asked) || asked < 1)
      return bad(pagination.sizeParam, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    size = Math.min(asked, MAX_PAGE_SIZE);
  }
  if (pagination.kind === 'link' && pagination.cursorParam) {
    // Shopify's page_info: an opaque cursor (here the id of the next page's first item).
    const param = pagination.cursorParam;
    const cursor = query.get(param);
    const start = cursor === null ? 0 : all.findIndex((s) => s.id === cursor);
    if (start < 0) return bad(param, 'is not a cursor this list handed out');
    const items = all.slice(start, start + size);
    const following = all[start + size];
    if (!following) return { items };
    const next = new URL(requestUrl);
    next.searchParams.set(param, following.id);
    return { items, ...linkTo(next.href) };
  }
  switch (pagination.kind) {
    case 'page':
    case 'link': {
      const param = pagination.kind === 'page' ? pagination.param : 'page';
      const first = pagination.kind === 'page' ? (pagination.firstPage ?? 1) : 1;
      const raw = query.get(param);
      const number = raw === null ? first : Number(raw);
      if (!Number.isInteger(number) || number < first) return bad(param, `must be a whole number ≥ ${first}`);
      const start = (number - first) * size;
      const items = all.slice(start, start + size);
      const more = start + size < all.length;
      if (pagination.kind === 'page') return { items };
      if (!more) return { items };
      const next = new URL(requestUrl);
      next.searchParams.set(param, String(number + 1));
      return { items, ...linkTo(next.href) };
    }
    case 'cursor': {
      const cursor = query.get(pagination.param);
      let start = 0;
      if (cursor !== null) {
        const at = all.findIndex((s) => s.id === cursor);
        if (at < 0) return bad(pagination.param, 'is not a cursor this list handed out');
        // Stripe's starting_after names the last item seen; a `next` cursor names the next one.
        start = 'lastItemId' in pagination.next ? at + 1 : at;
      }
      const items = all.slice(start, start + size);
      const following = all[start + size];
      return following ? { items, next: following.id } : { items };
    }
  }
}

function bad(field: string, problem: string): PageResult {
  return { error: `Invalid ${field}: ${problem}.`, details: { [field]: problem } };
}
