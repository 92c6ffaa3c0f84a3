/** Sliding-window limiter per key: at most `limit` requests in any `windowMs`. Memory: O(limit) per key. */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly maxKeys = 1000,
  ) {}

  /** Counts a request; returns what the X-RateLimit-* / Retry-After headers should say. */
  take(key: string, now = Date.now()): { allowed: boolean; remaining: number; retryAfterSeconds: number } {
    let times = this.hits.get(key);
    if (!times) {
      if (this.hits.size >= this.maxKeys) this.hits.delete(this.hits.keys().next().value as string);
      times = [];
      this.hits.set(key, times);
    }
    while (times.length > 0 && times[0]! <= now - this.windowMs) times.shift();
    if (times.length >= this.limit) {
      const retryAfterSeconds = Math.max(1, Math.ceil((times[0]! + this.windowMs - now) / 1000));
      return { allowed: false, remaining: 0, retryAfterSeconds };
    }
    times.push(now);
    return { allowed: true, remaining: this.limit - times.length, retryAfterSeconds: 0 };
  }

  reset(): void {
    this.hits.clear();
  }
}
