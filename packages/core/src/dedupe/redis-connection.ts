import { connect, type Socket } from 'node:net';
import { encodeCommand, RespError, RespParser, type RespValue } from './resp.js';

export interface RedisOptions {
  host: string;
  port: number;
  /** Redis 6 ACL user; empty → `AUTH <password>` (the default user). */
  username?: string;
  password?: string;
  /** Logical database (SELECT); default 0. */
  database?: number;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
}

/** A failure talking to Redis; the message names the server and what went wrong. */
export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

interface Pending {
  resolve(value: RespValue): void;
  reject(error: Error): void;
}

/**
 * One lazily opened connection to a Redis server, commands pipelined in order. Any socket
 * error or a command that gets no reply in time closes it and fails every command waiting on
 * it; the next command opens a fresh connection. Plain TCP only (no TLS, Sentinel or Cluster).
 */
export class RedisConnection {
  private socket: Socket | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending: Pending[] = [];
  private parser = new RespParser();
  private readonly where: string;

  constructor(private readonly options: RedisOptions) {
    if (typeof options.host !== 'string' || options.host.trim() === '') throw new TypeError('Redis host is empty');
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535)
      throw new TypeError(`Redis port must be 1–65535, got ${String(options.port)}`);
    const db = options.database ?? 0;
    if (!Number.isInteger(db) || db < 0)
      throw new TypeError(`Redis database must be a whole number ≥ 0, got ${String(db)}`);
    this.where = `Redis at ${options.host}:${options.port}`;
  }

  /** Sends one command; resolves with its reply, rejects with RedisUnavailableError or a RespError reply. */
  async command(args: readonly string[]): Promise<RespValue> {
    await this.open();
    const reply = await this.send(args);
    if (reply instanceof RespError) throw reply;
    return reply;
  }

  close(): void {
    this.fail(new RedisUnavailableError(`${this.where}: connection closed`));
  }

  private open(): Promise<void> {
    if (this.ready) return this.ready;
    const { host, port, connectTimeoutMs = 2000 } = this.options;
    this.ready = new Promise<void>((resolve, reject) => {
      const socket = connect({ host, port });
      this.socket = socket;
      this.parser = new RespParser();
      const timer = setTimeout(() => {
        socket.destroy(new Error(`no connection within ${connectTimeoutMs} ms`));
      }, connectTimeoutMs);
      socket.setNoDelay(true);
      // Events of a socket this connection has already replaced are ignored.
      const current = () => this.socket === socket;
      socket.on('data', (chunk: Buffer) => {
        if (current()) this.receive(chunk);
      });
      socket.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        const error = new RedisUnavailableError(
          `${this.where}: ${e.code ?? e.message}${e.code ? ` (${e.message})` : ''}`,
        );
        reject(error);
        if (current()) this.fail(error);
      });
      socket.on('close', () => {
        clearTimeout(timer);
        const error = new RedisUnavailableError(`${this.where}: connection closed`);
        reject(error);
        if (current()) this.fail(error);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        this.handshake().then(resolve, (e: Error) => {
          reject(e);
          this.fail(e instanceof RedisUnavailableError ? e : new RedisUnavailableError(e.message));
        });
      });
    });
    // A failed open is not cached: the next command tries again.
    this.ready.catch(() => undefined);
    return this.ready;
  }

  private async handshake(): Promise<void> {
    const { username, password, database = 0 } = this.options;
    if (password) {
      const auth = await this.send(username ? ['AUTH', username, password] : ['AUTH', password]);
      if (auth instanceof RespError)
        throw new RedisUnavailableError(`${this.where} refused the credentials: ${auth.message}`);
    }
    if (database !== 0) {
      const selected = await this.send(['SELECT', String(database)]);
      if (selected instanceof RespError)
        throw new RedisUnavailableError(`${this.where} refused database ${database}: ${selected.message}`);
    }
  }

  private send(args: readonly string[]): Promise<RespValue> {
    const socket = this.socket;
    if (!socket || socket.destroyed) return Promise.reject(new RedisUnavailableError(`${this.where}: not connected`));
    const { commandTimeoutMs = 2000 } = this.options;
    return new Promise<RespValue>((resolve, reject) => {
      const timer = setTimeout(() => {
        // Replies come in order: one that never came leaves the stream unusable.
        this.fail(new RedisUnavailableError(`${this.where}: no reply within ${commandTimeoutMs} ms`));
      }, commandTimeoutMs);
      this.pending.push({
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      socket.write(encodeCommand(args));
    });
  }

  private receive(chunk: Buffer): void {
    let replies: RespValue[];
    try {
      replies = this.parser.push(chunk);
    } catch (e) {
      this.fail(new RedisUnavailableError(`${this.where}: ${(e as Error).message}`));
      return;
    }
    for (const reply of replies) this.pending.shift()?.resolve(reply);
  }

  private fail(error: Error): void {
    const socket = this.socket;
    this.socket = undefined;
    this.ready = undefined;
    socket?.destroy();
    for (const p of this.pending.splice(0)) p.reject(error);
  }
}
