import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** The credential of the shared dedupe store, one for all hookpack triggers. */
export const DEDUPE_CREDENTIAL = {
  name: 'hookpackRedis',
  className: 'HookpackRedis',
  displayName: 'Hookpack Dedupe Store (Redis)',
  icon: 'hookpackRedis.svg',
  /** Name of the node method that tests it (n8n cannot test a non-HTTP credential itself). */
  testMethod: 'hookpackRedisConnectionTest',
} as const;

export const REDIS_FIELDS = {
  host: 'host',
  port: 'port',
  username: 'username',
  password: 'password',
  database: 'database',
} as const;

const properties: INodeProperties[] = [
  {
    displayName: 'Host',
    name: REDIS_FIELDS.host,
    type: 'string',
    required: true,
    default: '',
    placeholder: 'e.g. 127.0.0.1 or redis.internal',
    description: 'The Redis server every n8n process can reach; in queue mode, the one n8n already uses works',
  },
  { displayName: 'Port', name: REDIS_FIELDS.port, type: 'number', default: 6379 },
  {
    displayName: 'User',
    name: REDIS_FIELDS.username,
    type: 'string',
    default: '',
    description: 'Only for Redis 6+ ACL users; leave empty for the default user',
  },
  {
    displayName: 'Password',
    name: REDIS_FIELDS.password,
    type: 'string',
    typeOptions: { password: true },
    default: '',
  },
  {
    displayName: 'Database Number',
    name: REDIS_FIELDS.database,
    type: 'number',
    default: 0,
    description: 'Redis logical database (SELECT)',
  },
];

export function createDedupeCredentialClass(): new () => ICredentialType {
  const cls = class implements ICredentialType {
    name = DEDUPE_CREDENTIAL.name;
    displayName = DEDUPE_CREDENTIAL.displayName;
    icon = `file:${DEDUPE_CREDENTIAL.icon}` as const;
    documentationUrl = 'https://redis.io/docs/latest/commands/set/';
    properties = properties;
  };
  Object.defineProperty(cls, 'name', { value: DEDUPE_CREDENTIAL.className });
  return cls;
}
