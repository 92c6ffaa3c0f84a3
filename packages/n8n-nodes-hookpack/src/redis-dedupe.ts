import { createHash } from 'node:crypto';
import { RedisConnection, redisDedupeStore, type DedupeStore } from '@hookpack/core';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { REDIS_FIELDS } from './dedupe-credential.js';

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
