import type { ErrorDocumentInput, ErrorFormat, ListErrorFormat, VendorErrorInfo } from '../vendor.js';
import { getPath, isObject, setPath } from './path.js';

/** Status the vendor uses for a refused (invalid) request. */
export function validationStatusOf(format: ErrorFormat): number {
  return format.validationStatus ?? (format.kind === 'jsonApi' ? 422 : 400);
}

/**
 * The vendor's message and field details in an error body: first where the description says,
 * then — an answer from a proxy or an older API version may differ — the common shapes.
 */
export function readErrorDocument(format: ErrorFormat, body: unknown): VendorErrorInfo {
  if (typeof body === 'string') return body.trim() ? { message: body.trim().slice(0, 500) } : {};
  if (!isObject(body)) return {};
  if (format.kind === 'list') {
    const fromList = readListErrors(format, body);
    if (fromList.message || fromList.details) return fromList;
  }
  if (format.kind === 'jsonApi' || Array.isArray(body.errors)) {
    const fromJsonApi = readJsonApiErrors(body);
    if (fromJsonApi.message || fromJsonApi.details) return fromJsonApi;
  }
  let message: unknown;
  let details: unknown;
  let param: unknown;
  if (format.kind === 'object') {
    message = getPath(body, format.message);
    details = format.details ? getPath(body, format.details) : undefined;
    param = format.param ? getPath(body, format.param) : undefined;
  }
  const nested = isObject(body.error) ? body.error : undefined;
  if (typeof message !== 'string')
    message = [body.error, nested?.message, body.message, body.detail].find((m) => typeof m === 'string');
  if (!isObject(details)) details = [body.details, nested?.details].find(isObject);
  if (!isObject(details) && typeof param === 'string') details = { [param]: message ?? 'invalid' };
  return {
    ...(typeof message === 'string' ? { message } : {}),
    ...(isObject(details) ? { details } : {}),
  };
}

function readListErrors(format: ListErrorFormat, body: Record<string, unknown>): VendorErrorInfo {
  const list = body[format.key];
  if (!Array.isArray(list)) return {};
  const errors = list.filter(isObject);
  const texts: string[] = [];
  const details: Record<string, unknown> = {};
  for (const e of errors) {
    const message = getPath(e, format.message);
    const field = format.field ? getPath(e, format.field) : undefined;
    if (typeof message === 'string') texts.push(message);
    if (typeof field === 'string' && field !== '') details[field] = typeof message === 'string' ? message : 'invalid';
  }
  return {
    ...(texts.length ? { message: texts.join('; ') } : {}),
    ...(Object.keys(details).length ? { details } : {}),
  };
}

function readJsonApiErrors(body: Record<string, unknown>): VendorErrorInfo {
  const errors = (body.errors as unknown[]).filter(isObject);
  const texts = errors
    .map((e) => (typeof e.detail === 'string' ? e.detail : typeof e.title === 'string' ? e.title : undefined))
    .filter((t): t is string => t !== undefined);
  const details: Record<string, unknown> = {};
  for (const e of errors) {
    const pointer = getPath(e, 'source.pointer');
    if (typeof pointer !== 'string' || pointer === '') continue;
    const field = pointer.split('/').filter(Boolean).pop()!;
    details[field] = typeof e.detail === 'string' ? e.detail : (e.title ?? 'invalid');
  }
  return {
    ...(texts.length ? { message: texts.join('; ') } : {}),
    ...(Object.keys(details).length ? { details } : {}),
  };
}

/** The vendor's error body for a status, message and field details (the sandbox sends these). */
export function renderErrorDocument(format: ErrorFormat, error: ErrorDocumentInput): unknown {
  if (format.kind === 'jsonApi') {
    const entries = Object.entries(error.details ?? {});
    const errors =
      entries.length > 0
        ? entries.map(([field, problem]) => ({
            status: String(error.status),
            title: error.message,
            detail: `${field} ${problem}`,
            source: { pointer: `/data/attributes/${field}` },
          }))
        : [{ status: String(error.status), title: error.message, detail: error.message }];
    return { errors };
  }
  if (format.kind === 'list') {
    const entries = Object.entries(error.details ?? {});
    const one = (field: string | null, message: string) => {
      const item: Record<string, unknown> = {};
      if (format.field) setPath(item, format.field, field);
      setPath(item, format.message, message);
      return item;
    };
    return {
      [format.key]:
        entries.length > 0
          ? entries.map(([field, problem]) => one(field, `${field} ${problem}`))
          : [one(null, error.message)],
    };
  }
  const out: Record<string, unknown> = {};
  if (format.type) {
    const t = format.type;
    const type =
      t.byStatus[error.status] ?? (error.status >= 500 && t.server !== undefined ? t.server : undefined) ?? t.default;
    setPath(out, t.path, type);
  }
  setPath(out, format.message, error.message);
  if (error.details && Object.keys(error.details).length > 0) {
    if (format.param) setPath(out, format.param, Object.keys(error.details)[0]);
    if (format.details)
      setPath(
        out,
        format.details,
        format.detailsAsLists
          ? Object.fromEntries(Object.entries(error.details).map(([field, problem]) => [field, [problem]]))
          : error.details,
      );
  }
  return out;
}
