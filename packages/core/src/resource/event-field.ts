import type { SubscriptionFields } from '../vendor.js';
import { getPath, setPath } from './path.js';

/**
 * How a subscription's events sit in the vendor's documents: a list at `fields.events`, or
 * boolean fields by event type (`fields.eventFlags`). Both directions, for client and sandbox.
 */
export interface EventField {
  /** Field name for error details about events (the list's path, or "events" for flags). */
  readonly name: string;
  /** Events of a resource object; throws TypeError naming the path when they are not readable. */
  read(attrs: Record<string, unknown>): string[];
  /** Writes `events` (flags: every flag, true for the listed types). Throws for a type no flag has. */
  write(attrs: Record<string, unknown>, events: readonly string[]): void;
  /** Events in a request (undefined when it sends none), with problems recorded under their path. */
  readRequest(attrs: Record<string, unknown>, details: Record<string, string>): string[] | undefined;
}

export function eventField(
  fields: Pick<SubscriptionFields, 'events' | 'eventFlags' | 'eventsJoinedBy'>,
  vendorName: string,
  oneEvent = false,
): EventField {
  const flags = fields.eventFlags;
  if (flags) return flagField(flags, vendorName);
  const path = fields.events;
  if (path === undefined) throw new TypeError(`${vendorName} declares neither resource.fields.events nor eventFlags`);
  if (oneEvent) return topicField(path, vendorName);
  return fields.eventsJoinedBy !== undefined ? joinedField(path, fields.eventsJoinedBy) : listField(path);
}

/** The event types as one string at `path`, joined by `separator` (Graph's `"created,updated"`). */
function joinedField(path: string, separator: string): EventField {
  const split = (value: string) => [
    ...new Set(
      value
        .split(separator)
        .map((e) => e.trim())
        .filter((e) => e !== ''),
    ),
  ];
  return {
    name: path,
    read(attrs) {
      const value = getPath(attrs, path);
      if (typeof value !== 'string') throw new TypeError(`expected event types joined by "${separator}" at "${path}"`);
      return split(value);
    },
    write(attrs, events) {
      const joined = events.find((e) => e.includes(separator));
      if (joined !== undefined)
        throw new TypeError(`event type "${joined}" contains the separator "${separator}" of "${path}"`);
      setPath(attrs, path, events.join(separator));
    },
    readRequest(attrs, details) {
      const value = getPath(attrs, path);
      if (value === undefined) return undefined;
      const events = typeof value === 'string' ? split(value) : [];
      if (events.length === 0) {
        details[path] = `must be event types joined by "${separator}"`;
        return undefined;
      }
      return events;
    },
  };
}

/** A list of event types at `path`. */
function listField(path: string): EventField {
  return {
    name: path,
    read(attrs) {
      const events = getPath(attrs, path);
      if (!Array.isArray(events) || !events.every((e) => typeof e === 'string'))
        throw new TypeError(`expected a list of event types at "${path}"`);
      return [...events];
    },
    write(attrs, events) {
      setPath(attrs, path, [...events]);
    },
    readRequest(attrs, details) {
      const events = getPath(attrs, path);
      if (events === undefined) return undefined;
      if (!Array.isArray(events) || events.length === 0 || !events.every((e) => typeof e === 'string' && e !== '')) {
        details[path] = 'must be a non-empty array of event type strings';
        return undefined;
      }
      return [...new Set(events as string[])];
    },
  };
}

/** One event type as a string at `path` (Shopify's `topic`): k events are k subscriptions. */
function topicField(path: string, vendorName: string): EventField {
  return {
    name: path,
    read(attrs) {
      const value = getPath(attrs, path);
      if (typeof value !== 'string' || value === '') throw new TypeError(`expected one event type at "${path}"`);
      return [value];
    },
    write(attrs, events) {
      if (events.length !== 1)
        throw new TypeError(
          `${vendorName} subscriptions carry one event each, got ${events.length}: create one per event (subscribe)`,
        );
      setPath(attrs, path, events[0]);
    },
    readRequest(attrs, details) {
      const value = getPath(attrs, path);
      if (value === undefined) return undefined;
      if (typeof value !== 'string' || value.trim() === '') {
        details[path] = 'must be one event type string';
        return undefined;
      }
      return [value.trim()];
    },
  };
}

function flagField(flags: Record<string, string>, vendorName: string): EventField {
  const entries = Object.entries(flags);
  return {
    name: 'events',
    read(attrs) {
      const events: string[] = [];
      for (const [type, path] of entries) {
        const v = getPath(attrs, path);
        if (v === true) events.push(type);
        else if (v !== false && v !== undefined && v !== null)
          throw new TypeError(`expected true or false at "${path}"`);
      }
      return events;
    },
    write(attrs, events) {
      const unknown = events.filter((e) => !(e in flags));
      if (unknown.length > 0)
        throw new TypeError(
          `${vendorName} selects events by fields and has none for ${unknown.map((e) => `"${e}"`).join(', ')}`,
        );
      for (const [type, path] of entries) setPath(attrs, path, events.includes(type));
    },
    readRequest(attrs, details) {
      let sent = false;
      const events: string[] = [];
      for (const [type, path] of entries) {
        const v = getPath(attrs, path);
        if (v === undefined) continue;
        sent = true;
        if (typeof v !== 'boolean') details[path] = 'must be true or false';
        else if (v) events.push(type);
      }
      if (!sent) return undefined;
      if (events.length === 0 && Object.keys(details).length === 0)
        details.events = `select at least one event (${entries.map(([, p]) => p).join(', ')})`;
      return events;
    },
  };
}
