import type { RestApiDefinition, VendorDefinition } from '../vendor.js';

/** One inconsistency in a vendor description: where it is, what is wrong, how to fix it. */
export interface DescriptionProblem {
  vendor: string;
  /** Dotted path into the VendorDefinition (`api.resource.fields.active`). */
  field: string;
  problem: string;
  fix: string;
}

export class VendorDescriptionError extends Error {
  override name = 'VendorDescriptionError';
  constructor(readonly problems: DescriptionProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

export function formatProblem(p: DescriptionProblem): string {
  return `vendor "${p.vendor}", ${p.field}: ${p.problem}. Fix: ${p.fix}.`;
}

/** Throws one VendorDescriptionError listing every problem; what every generator calls first. */
export function assertVendorDescription(vendor: VendorDefinition): void {
  const problems = checkVendorDescription(vendor);
  if (problems.length > 0) throw new VendorDescriptionError(problems);
}

const PATH = /^[^.\s]+(\.[^.\s]+)*$/;

/**
 * Everything about a description that would otherwise fail at a user's first activation
 * (or never, silently): paths, secrets, pausing, paging, options, events.
 */
export function checkVendorDescription(vendor: VendorDefinition): DescriptionProblem[] {
  const out: DescriptionProblem[] = [];
  const add = (field: string, problem: string, fix: string) => out.push({ vendor: vendor.id, field, problem, fix });
  const events = new Set(vendor.events.map((e) => e.type));

  if (vendor.events.length === 0) add('events', 'no events', 'describe at least one event the vendor sends');
  vendor.events.forEach((event, i) => {
    const at = `events[${i}] (${event.type})`;
    if (event.sample === undefined || event.sample === null)
      add(`${at}.sample`, 'the event has no sample', 'add a realistic payload that parses with its schema');
    else if (!event.schema.safeParse(event.sample).success)
      add(`${at}.sample`, 'the sample does not parse with the event schema', 'make sample and schema agree');
  });
  vendor.subscriptionOptions.forEach((option, i) => {
    const at = `subscriptionOptions[${i}] (${option.name})`;
    if (!option.displayName?.trim())
      add(`${at}.displayName`, 'the option has no label', 'give it a displayName users will see');
    if (option.required && !option.description?.trim())
      add(`${at}.description`, 'a required option has no description', 'say what the user must enter');
  });

  const dedupe = vendor.delivery.dedupe;
  if (dedupe?.includes('deliveryId') && !(vendor.delivery.deliveryIdHeader && vendor.delivery.deliveryIdIsStable))
    add(
      'delivery.dedupe',
      'dedupes on the delivery id, which is missing or new on every retry',
      'declare a stable deliveryIdHeader, or drop "deliveryId"',
    );
  if (dedupe && dedupe.length === 0)
    add('delivery.dedupe', 'no dedupe source', 'leave it out for the default, or list "bodyHash" last');

  const signature = vendor.signature;
  if (signature.secretSource === 'client' && !signature.clientSecret)
    add(
      'signature.clientSecret',
      'the client chooses the secret but no rule says how',
      'declare { length, alphabet, prefix? } as the vendor documents',
    );
  if (signature.clientSecret && signature.secretSource !== 'client')
    add(
      'signature.clientSecret',
      `a secret rule on a vendor whose secret source is "${signature.secretSource}"`,
      'remove it, or set secretSource: "client"',
    );
  if (
    signature.clientSecret &&
    !(Number.isInteger(signature.clientSecret.length) && signature.clientSecret.length >= 16)
  )
    add('signature.clientSecret.length', 'too short to be a signing secret', 'use the documented length (at least 16)');

  if (signature.secretSource === 'app' && !(signature.appSecret?.label?.trim() && signature.appSecret.help?.trim()))
    add(
      'signature.appSecret',
      'the app secret signs deliveries but nothing says what the user enters',
      'declare { label, help }: the vendor\'s name for the secret ("Client Secret") and where to find it',
    );
  if (signature.appSecret && signature.secretSource !== 'app')
    add(
      'signature.appSecret',
      `an app-secret field on a vendor whose secret source is "${signature.secretSource}"`,
      'remove it, or set secretSource: "app"',
    );
  if (signature.secretSource === 'app' && !signature.secretRequired)
    add(
      'signature.secretRequired',
      'an app secret is always there: deliveries are always signed with it',
      'set secretRequired: true',
    );

  const api = vendor.api;
  if (!api) {
    if (signature.secretSource !== 'user')
      add('signature.secretSource', 'a vendor without an API cannot hand out secrets', 'use "user"');
    if (!vendor.manualSetup?.instructions)
      add('manualSetup.instructions', 'a vendor without an API needs setup steps', 'say what the user does in its UI');
    return out;
  }
  checkApi(vendor, api, events, add);
  return out;
}

function checkApi(
  vendor: VendorDefinition,
  api: RestApiDefinition,
  events: Set<string>,
  add: (field: string, problem: string, fix: string) => void,
): void {
  const { endpoints, resource } = api;
  const fields = resource.fields;
  for (const op of ['create', 'delete'] as const)
    if (!endpoints[op]) add(`api.endpoints.${op}`, `no ${op} endpoint`, 'every REST vendor needs create and delete');
  if (!endpoints.me && !endpoints.list)
    add('api.endpoints', 'no "me" or "list" endpoint to test a credential with', 'declare one of them');
  for (const [op, ep] of Object.entries(endpoints)) {
    if (ep && !ep.path.startsWith('/'))
      add(
        `api.endpoints.${op}.path`,
        `"${ep.path}" does not start with "/"`,
        'write it below baseUrl, starting with "/"',
      );
  }
  if (api.mediaType !== undefined && !/^application\/([\w.+-]+\+)?json$/.test(api.mediaType))
    add(
      'api.mediaType',
      `"${api.mediaType}" is not a JSON media type`,
      'bodies are JSON: use application/json or application/<x>+json',
    );

  const paths: [string, string | undefined][] = [
    ['id', fields.id],
    ['url', fields.url],
    ['events', fields.events],
    ['secret', fields.secret],
    ['createdAt', fields.createdAt],
    ['active.path', fields.active?.path],
    ...Object.entries(fields.options ?? {}).map(([k, v]) => [`options.${k}`, v] as [string, string]),
  ];
  for (const path of Object.keys(resource.createConstants ?? {})) paths.push([`createConstants.${path}`, path]);
  for (const [name, path] of paths) {
    if (path !== undefined && !PATH.test(path))
      add(`api.resource.fields.${name}`, `"${path}" is not a field path`, 'use dotted names like "data.url"');
  }
  const used = new Map<string, string>();
  for (const [name, path] of paths) {
    if (path === undefined) continue;
    const other = used.get(path);
    if (other) add(`api.resource.fields.${name}`, `uses "${path}", as ${other} does`, 'give each field its own path');
    used.set(path, name);
  }
  if (resource.document.kind === 'jsonApi') {
    for (const [name, rel] of Object.entries(resource.document.relationships ?? {})) {
      const at = `api.resource.document.relationships.${name}`;
      const option = vendor.subscriptionOptions.find((o) => o.name === rel.option);
      if (!option || option.type !== 'string')
        add(
          `${at}.option`,
          option
            ? `"${option.name}" is a ${option.type} option, not an id`
            : `"${rel.option}" names no subscription option`,
          'name a string subscription option holding the related id',
        );
      if (!rel.type?.trim()) add(`${at}.type`, 'no related resource type', 'give the JSON:API type, e.g. "stores"');
    }
  }
  if (resource.document.kind === 'jsonApi' && fields.id !== undefined)
    add('api.resource.fields.id', 'a JSON:API resource has its id beside attributes', 'remove fields.id');
  for (const name of Object.keys(fields.options ?? {})) {
    if (!vendor.subscriptionOptions.some((o) => o.name === name))
      add(
        `api.resource.fields.options.${name}`,
        'names no subscription option',
        `declare "${name}" in subscriptionOptions or remove the path`,
      );
  }
  if (api.ownerLabel) {
    const option = vendor.subscriptionOptions.find((o) => o.name === api.ownerLabel!.option);
    if (!option || option.type !== 'string')
      add(
        'api.ownerLabel.option',
        option
          ? `"${option.name}" is a ${option.type} option, not a free-text label`
          : `"${api.ownerLabel.option}" names no subscription option`,
        'name a string subscription option the vendor stores and returns',
      );
  }
  if (fields.active && !fields.active.readOnly && !endpoints.update)
    add(
      'api.resource.fields.active',
      'an on/off field an update would set, but there is no update endpoint',
      'mark it readOnly: true (the vendor only shows it), or declare the update endpoint',
    );
  const onReads = resource.secretOnReads;
  if (onReads.kind === 'prefix' && onReads.field === fields.secret)
    add(
      'api.resource.secretOnReads.field',
      'the prefix field is the secret field itself',
      'name the field reads show the prefix in',
    );

  const signature = vendor.signature;
  if ((signature.secretSource === 'subscription' || signature.secretSource === 'client') && !fields.secret)
    add(
      'api.resource.fields.secret',
      signature.secretSource === 'client'
        ? 'the client chooses the secret but no field carries it in the create request'
        : 'the vendor returns the secret on create but no field says where',
      'declare the secret field path',
    );
  if (signature.secretSource === 'app') {
    if (fields.secret)
      add(
        'api.resource.fields.secret',
        'the API never carries an app secret, but a secret field is declared',
        'remove fields.secret (the user enters the app secret in the credential)',
      );
    if (endpoints.rotate || (signature.rotation !== undefined && signature.rotation !== 'none'))
      add(
        endpoints.rotate ? 'api.endpoints.rotate' : 'signature.rotation',
        "an app secret is rotated in the vendor's app settings, not per subscription",
        'remove the rotate endpoint and leave rotation out (or "none")',
      );
  }
  const perSubscription = resource.eventsPerSubscription;
  if (perSubscription !== undefined && perSubscription !== 'one' && perSubscription !== 'many')
    add(
      'api.resource.eventsPerSubscription',
      `"${String(perSubscription)}" is not "one" or "many"`,
      'use "one" (a single event type per subscription) or leave it out',
    );
  const rotation = signature.rotation;
  if (rotation === 'endpoint' && !endpoints.rotate)
    add(
      'signature.rotation',
      'rotation by endpoint without a rotate endpoint',
      'declare api.endpoints.rotate or set rotation: "none"',
    );
  if (rotation === 'update' && (signature.secretSource !== 'client' || !endpoints.update))
    add(
      'signature.rotation',
      'rotation by update needs a client-chosen secret and an update endpoint',
      'use "endpoint" or "none"',
    );
  if (rotation === 'none' && endpoints.rotate)
    add(
      'signature.rotation',
      'says the secret cannot be rotated, but a rotate endpoint is declared',
      'remove one of them',
    );

  const list = api.list;
  if (list?.key !== undefined && resource.document.kind === 'jsonApi')
    add('api.list.key', 'JSON:API lists are always under "data"', 'remove list.key');
  const pagination = list?.pagination;
  if (resource.document.kind === 'wrapped' && resource.document.lists === 'flat' && list?.key === undefined)
    add(
      'api.list.key',
      'lists sit outside the document wrapper, but no key says where their items are',
      'declare list.key (Shopify: "webhooks")',
    );
  if (pagination?.kind === 'link' && pagination.cursorParam !== undefined && !/^[\w.-]+$/.test(pagination.cursorParam))
    add(
      'api.list.pagination.cursorParam',
      `"${pagination.cursorParam}" is not a query parameter name`,
      'use a name like "page_info"',
    );
  if (pagination) {
    if (!endpoints.list) add('api.list.pagination', 'paging without a list endpoint', 'declare api.endpoints.list');
    if (!(Number.isInteger(pagination.pageSize) && pagination.pageSize >= 1))
      add('api.list.pagination.pageSize', 'must be a whole number ≥ 1', 'use the size the vendor documents');
    if (pagination.maxPages !== undefined && !(Number.isInteger(pagination.maxPages) && pagination.maxPages >= 1))
      add('api.list.pagination.maxPages', 'must be a whole number ≥ 1', 'leave it out for the default (50)');
    if (pagination.kind === 'cursor' && list?.key === undefined && resource.document.kind !== 'jsonApi')
      add(
        'api.list.pagination.next',
        'a cursor needs a list object to live in, but the list is a bare array',
        'declare list.key',
      );
  }
  for (const type of api.paidEvents ?? [])
    if (!events.has(type))
      add('api.paidEvents', `"${type}" is not an event of this vendor`, 'list only declared event types');
  if (api.testEvent && 'type' in api.testEvent && !events.has(api.testEvent.type))
    add(
      'api.testEvent.type',
      `"${api.testEvent.type}" is not an event of this vendor`,
      'declare the test event in events',
    );
  if (api.testEvent && !endpoints.test)
    add('api.testEvent', 'a test event without a test endpoint', 'declare api.endpoints.test or remove testEvent');
  if (endpoints.test && !api.testEvent)
    add(
      'api.testEvent',
      'a test endpoint that says nothing about what it sends',
      'declare { type } or { firstSubscribed: true }',
    );
}
