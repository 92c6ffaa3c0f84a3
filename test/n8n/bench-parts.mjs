// What the n8n benches share: a signed delivery of a fresh event, the workflows they compare
// (a hookpack trigger and n8n's own Webhook node) and the load driver. One place, so every
// row measures the same load shape.
import { randomUUID } from 'node:crypto';
import { deliveryBody, deliveryHeaders } from '@hookpack/sandbox';
import { credentialTypeOf } from '@hookpack/playground/n8n';

/** A delivery of a fresh event of `event`, signed with `secret`, with lower-case header names. */
export function signedDelivery(vendor, event, secret) {
  const body = deliveryBody(vendor, {
    id: `evt_${randomUUID()}`,
    type: event.type,
    createdAt: new Date().toISOString(),
    data: event.sample,
    livemode: false,
  });
  const headers = Object.fromEntries(
    Object.entries(deliveryHeaders(vendor, { body, type: event.type, secret, deliveryId: randomUUID() })).map(
      ([k, v]) => [k.toLowerCase(), v],
    ),
  );
  return { body, headers: { 'content-type': 'application/json', ...headers } };
}

/** Creates a workflow with one hookpack trigger of `vendor`; resolves with it and its production URL. */
export async function hookpackTriggerWorkflow(
  rest,
  { baseUrl, vendor, event, credential, name, parameters = {}, extraCredentials = {} },
) {
  const webhookId = randomUUID();
  const wf = await rest.createWorkflow({
    name,
    active: false,
    nodes: [
      {
        id: randomUUID(),
        name: `${vendor.displayName} Trigger`,
        type: `n8n-nodes-hookpack.${vendor.id}Trigger`,
        typeVersion: 1,
        position: [0, 0],
        webhookId,
        parameters: { events: [event.type], ...parameters },
        credentials: { [credentialTypeOf(vendor)]: { id: credential.id, name: credential.name }, ...extraCredentials },
      },
    ],
    connections: {},
    settings: {},
  });
  return { wf, url: `${baseUrl}/webhook/${webhookId}/webhook` };
}

/** Creates n8n's own Webhook node (answers on receipt, verifies nothing): the baseline. */
export async function n8nWebhookWorkflow(rest, { baseUrl, name }) {
  const path = `bench-${randomUUID()}`;
  const wf = await rest.createWorkflow({
    name,
    active: false,
    nodes: [
      {
        id: randomUUID(),
        name: 'Webhook',
        type: 'n8n-nodes-base.webhook',
        typeVersion: 2,
        position: [0, 0],
        webhookId: randomUUID(),
        parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
      },
    ],
    connections: {},
    settings: {},
  });
  return { wf, url: `${baseUrl}/webhook/${path}` };
}

/** POSTs every request, `concurrency` at a time; deliveries per second. Any answer but 200 fails the run. */
export async function deliveriesPerSecond(url, requests, concurrency) {
  let next = 0;
  let failures = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const r = requests[next++];
        const res = await fetch(url, {
          method: 'POST',
          body: r.body,
          headers: r.headers,
          signal: AbortSignal.timeout(30_000),
        });
        await res.arrayBuffer();
        if (res.status !== 200) failures++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (failures) throw new Error(`${failures} of ${requests.length} deliveries to ${url} were not answered 200`);
  return requests.length / seconds;
}
