export { RedisConnection, RedisUnavailableError, type RedisOptions } from './redis-connection.js';
export { redisDedupeStore, type ClaimResult, type DedupeStore, type RedisDedupeOptions } from './redis-store.js';
export { RespError } from './resp.js';
