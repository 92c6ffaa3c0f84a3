/** One call a client made to a vendor's REST API in the sandbox, as the vendor saw it. */
export interface ApiRequestRecord {
  vendor: string;
  method: string;
  /** Path below the vendor's base URL, with the query string. */
  path: string;
  /** 0 when no answer was sent (a fault dropped the connection). */
  status: number;
  at: string;
  /** The injected fault, when one hit this call. */
  fault?: { rule: number; kind: string; detail: string };
}

/**
 * The most recent vendor API calls, oldest first, bounded so a long-running sandbox does not
 * grow: tests read it to show exactly what an integration did at the vendor (and did not do).
 */
export class RequestLog {
  private readonly records: ApiRequestRecord[] = [];
  constructor(private readonly max = 5000) {}

  add(record: ApiRequestRecord): void {
    this.records.push(record);
    if (this.records.length > this.max) this.records.splice(0, this.records.length - this.max);
  }

  list(vendor?: string): ApiRequestRecord[] {
    return this.records.filter((r) => vendor === undefined || r.vendor === vendor).map((r) => structuredClone(r));
  }

  clear(): void {
    this.records.length = 0;
  }
}
