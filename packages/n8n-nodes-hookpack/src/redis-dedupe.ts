import { createHash } from 'node:crypto';
import { RedisConnection, redisDedupeStore, type DedupeStore } from '@hookpack/core';
import type {
  ICredentialDataDecryptedObject,
  ICredentialsDecrypted,
  ICredentialTestFunctions,
  INodeCredentialTestResult,
} from 'n8n-workflow';
import { DEDUPE_CREDENTIAL, REDIS_FIELDS } from './dedupe-credential.js';
import type { SharedDedupe } from './shared-dedupe.js';

/**
 * One pipelined connection per Redis server and login, kept for the life of the n8n process,
 * so a delivery costs one round trip and no connect. Bounded: a few credentials at most.
 */
const connections = new Map<string, RedisConnection>();
const MAX_CONNECTIONS = 32;

export interface RedisSettings {
  host: string;
  port: number;
  username: string;
  password: string;
  database: number;
}

export function redisSettings(credentials: ICredentialDataDecryptedObject): RedisSettings {
  return {
    host: String(credentials[REDIS_FIELDS.host] ?? '').trim(),
    port: Number(credentials[REDIS_FIELDS.port] ?? 6379),
    username: String(credentials[REDIS_FIELDS.username] ?? ''),
    password: String(credentials[REDIS_FIELDS.password] ?? ''),
    database: Number(credentials[REDIS_FIELDS.database] ?? 0),
  };
}

export function redisConnection(settings: RedisSettings): RedisConnection {
  const id = createHash('sha256').update(JSON.stringify(settings)).digest('hex');
  let connection = connections.get(id);
  if (!connection) {
    if (connections.size >= MAX_CONNECTIONS) {
      const [oldest, old] = connections.entries().next().value!;
      old.close();
      connections.delete(oldest);
    }
    connection = new RedisConnection({
      host: settings.host,
      port: settings.port,
      ...(settings.username ? { username: settings.username } : {}),
      ...(settings.password ? { password: settings.password } : {}),
      database: settings.database,
      connectTimeoutMs: 2000,
      commandTimeoutMs: 2000,
    });
    connections.set(id, connection);
  }
  return connection;
}

/** The dedupe keys of one trigger node: scoped by workflow and node, so triggers never collide. */
export function triggerDedupeStore(
  settings: RedisSettings,
  scope: { workflowId: string; nodeId: string },
  windowMs: number,
  claimMs: number,
): DedupeStore {
  return redisDedupeStore(redisConnection(settings), {
    prefix: `hookpack:dedupe:${scope.workflowId}:${scope.nodeId}:`,
    windowMs,
    claimMs,
  });
}

/** n8n's credential test for the dedupe store: one PING, and on failure the server and the error. */
async function testRedisCredential(
  this: ICredentialTestFunctions,
  credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
  const settings = redisSettings(credential.data ?? {});
  if (!settings.host) return { status: 'Error', message: 'Enter the host of your Redis server.' };
  try {
    const reply = await redisConnection(settings).command(['PING']);
    if (reply !== 'PONG')
      return {
        status: 'Error',
        message: `Redis at ${settings.host}:${settings.port} answered PING with ${JSON.stringify(reply)}`,
      };
    return { status: 'OK', message: `Connected to Redis at ${settings.host}:${settings.port}` };
  } catch (error) {
    const message = (error as Error).message;
    return {
      status: 'Error',
      message: message.includes(settings.host) ? message : `Redis at ${settings.host}:${settings.port}: ${message}`,
    };
  }
}

/** The Redis redelivery check, as the node factory takes it. */
export const redisSharedDedupe: SharedDedupe = {
  credential: { name: DEDUPE_CREDENTIAL.name, testMethod: DEDUPE_CREDENTIAL.testMethod },
  testCredential: testRedisCredential,
  open: (credentials, owner, windowMs, claimMs) =>
    triggerDedupeStore(redisSettings(credentials), owner, windowMs, claimMs),
};
