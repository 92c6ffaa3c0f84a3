import type { INodeExecutionData } from 'n8n-workflow';

/**
 * What a "listen for test event" delivery produced, handed from `webhook()` to `trigger()`.
 * A node with a `trigger` method is run through it in a manual execution (n8n-core's
 * `executeTriggerNode`), which ignores the webhook's output: `trigger()` hands it back. Process
 * memory, keyed by workflow and node: test webhooks and their executions run in the main process.
 */
const pending = new Map<string, INodeExecutionData[][]>();
/** Bound: a test delivery whose execution never ran must not pile up. */
const MAX_PENDING = 100;

export function keepTestRunData(key: string, data: INodeExecutionData[][]): void {
  pending.delete(key);
  if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value!);
  pending.set(key, data);
}

export function takeTestRunData(key: string): INodeExecutionData[][] | undefined {
  const data = pending.get(key);
  pending.delete(key);
  return data;
}
