import { verifyDelivery, type VendorDefinition, type WebhookEvent } from '@hookpack/core';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { CREDENTIAL_FIELDS } from './credential.js';
import { namesFor } from './names.js';
import { PARAM, type LivemodeFilter } from './parameters.js';
import { rememberDelivery, storedSecrets } from './state.js';
import { rememberInMemory } from './dedupe.js';
import { ownerOf } from './ownership.js';

/**
 * Handles one delivery: verify the signature on the exact raw bytes, parse the envelope,
 * drop unselected event types and redeliveries, and emit the normalized event.
 */
export function webhookHandler(vendor: VendorDefinition) {
  const names = namesFor(vendor);
  return async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    const req = this.getRequestObject();
    if (req.rawBody === undefined && typeof req.readRawBody === 'function') {
      // n8n keeps rawBody only for some content types; read it ourselves otherwise.
      await req.readRawBody();
    }
    const body: Buffer | undefined = req.rawBody;
    const headers = this.getHeaderData() as Record<string, string | string[] | undefined>;
    const staticData = this.getWorkflowStaticData('node');

    let secret: string[];
    if (vendor.api) {
      secret = storedSecrets(staticData, ownerOf(this));
      if (secret.length === 0) {
        return reject(
          this,
          401,
          'no_secret',
          'This trigger holds no signing secret; deactivate and reactivate the workflow.',
        );
      }
    } else {
      const credentials = await this.getCredentials(names.credentialName);
      const configured = String(credentials[CREDENTIAL_FIELDS.signingSecret] ?? '');
      secret = configured.trim() ? [configured] : [];
    }

    const result = verifyDelivery(vendor, { body: body ?? Buffer.alloc(0), headers, secret });
    if (!result.ok) return reject(this, result.status, result.reason, result.message);

    const event = result.event;
    const selected = this.getNodeParameter(PARAM.events, []) as string[];
    if (!selected.includes(event.type)) {
      // Unknown or unselected types are acknowledged: a 4xx would make the vendor retry.
      return { webhookResponse: { received: true, ignored: 'event type not selected' } };
    }
    const options = this.getNodeParameter(PARAM.options, {}) as IDataObject;
    if (!livemodeMatches(event, (options[PARAM.livemode] as LivemodeFilter | undefined) ?? 'any')) {
      return { webhookResponse: { received: true, ignored: 'livemode filtered out' } };
    }
    const firstTime =
      options[PARAM.dedupeAcrossRestarts] === true
        ? rememberDelivery(staticData, result.dedupeKey)
        : rememberInMemory(`${this.getWorkflow().id}:${this.getNode().id}`, result.dedupeKey);
    if (!firstTime) {
      return { webhookResponse: { received: true, duplicate: true } };
    }
    const item: IDataObject = { ...(event as unknown as IDataObject) };
    if (options[PARAM.includeHeaders] === true) item.headers = headers as IDataObject;
    return { workflowData: [this.helpers.returnJsonArray([item])] };
  };
}

function reject(fns: IWebhookFunctions, status: number, reason: string, message: string): IWebhookResponseData {
  fns.getResponseObject().status(status).json({ error: reason, message }).end();
  return { noWebhookResponse: true };
}

function livemodeMatches(event: WebhookEvent, filter: LivemodeFilter): boolean {
  if (filter === 'any' || event.livemode === undefined) return true;
  return filter === 'live' ? event.livemode : !event.livemode;
}
