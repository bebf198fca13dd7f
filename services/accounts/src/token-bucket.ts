import type { RateLimit } from '@natster/hub';

/**
 * A token bucket: holds up to `burst` tokens, refilled continuously at
 * `per_minute`. `take` spends one token, or says how many whole seconds
 * until one is available.
 */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = limit.burst;
    this.at = now();
  }

  /** 0 when a token was spent; otherwise the seconds to wait before one is. */
  take(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.tokens) * 60) / this.limit.per_minute));
  }

  /** True when the bucket is back to full, so forgetting it changes nothing. */
  isFull(): boolean {
    this.refill();
    return this.tokens >= this.limit.burst;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.at) / 60_000) * this.limit.per_minute);
    this.at = now;
  }
}

/** One bucket per key (e.g. per connection); full buckets are forgotten, so memory follows recent activity only. */
export class KeyedBuckets {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): number {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      this.forgetFull();
      bucket = new TokenBucket(this.limit, this.now);
      this.buckets.set(key, bucket);
    }
    return bucket.take();
  }

  private forgetFull(): void {
    for (const [key, bucket] of this.buckets) if (bucket.isFull()) this.buckets.delete(key);
  }
}
