import { answerHandshake, usesAppSecret, type HandshakeVerdict, type VendorDefinition } from '@hookpack/core';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { CREDENTIAL_FIELDS } from './credential.js';
import { namesFor } from './names.js';
import type { Owner } from './ownership.js';
import { storedSecrets } from './stored-secrets.js';

/**
 * Answers the vendor's URL-verification request, on the production and the test URL alike:
 * the answer core's `answerHandshake` gives (200 with the challenge), or its 4xx for a request
 * that has the marker but not the declared form or signature. Either way n8n gets
 * `noWebhookResponse` and no workflowData, so a handshake never starts an execution. Undefined:
 * not a handshake, handle it as a delivery.
 *
 * Why the production URL can answer while `create` runs (read in n8n's dist code, 1.123.81 and
 * 2.41.0): activation stores the node's webhook rows (`webhookService.storeWebhook`, in
 * `ActiveWorkflowManager.addWebhooks`) before it runs `checkExists`/`create`, and the live
 * webhook lookup reads those rows, so a request that arrives during `create` reaches this node;
 * 2.x's asynchronous publish runs the same `addWebhooks`. In queue mode the request reaches a
 * webhook process, which loads the workflow from the database and runs this code there. What that
 * process cannot see is static data `create` has not saved yet: a signed handshake that arrives
 * during create, for a vendor whose secret is per subscription, finds no secret and is refused
 * (fail closed, logged). Unsigned handshakes and app- or user-secret vendors are unaffected.
 */
export async function answeredHandshake(
  fns: IWebhookFunctions,
  vendor: VendorDefinition,
  body: Buffer | undefined,
  headers: Record<string, string | string[] | undefined>,
  owner: Owner,
  staticData: IDataObject,
): Promise<IWebhookResponseData | undefined> {
  const handshake = vendor.handshake;
  if (!handshake) return undefined;
  const req = fns.getRequestObject() as { method?: string; query?: unknown };
  const query = (typeof fns.getQueryData === 'function' ? fns.getQueryData() : req.query) as Record<string, unknown>;
  const request = { method: req.method ?? handshake.method ?? 'POST', query, headers, body: body ?? Buffer.alloc(0) };
  const probe = answerHandshake(vendor, { ...request, secret: null });
  if (!probe.handshake) return undefined;
  let verdict: HandshakeVerdict = probe;
  if (handshake.signed)
    verdict = answerHandshake(vendor, { ...request, secret: await secretsFor(fns, vendor, owner, staticData) });
  const res = fns.getResponseObject();
  if (!verdict.handshake) return undefined;
  if (!verdict.ok) {
    fns.logger.warn(
      `${vendor.displayName} trigger: refused a verification request (${verdict.status}): ${verdict.message}`,
    );
    res.status(verdict.status).json({ error: verdict.reason, message: verdict.message }).end();
    return { noWebhookResponse: true };
  }
  fns.logger.info(`${vendor.displayName} trigger: answered ${vendor.displayName}'s URL verification (no execution).`);
  for (const [name, value] of Object.entries(verdict.headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', verdict.contentType);
  res.status(200).send(verdict.body).end();
  return { noWebhookResponse: true };
}

/** The secrets a signed handshake is checked with: where deliveries' secrets come from. */
async function secretsFor(
  fns: IWebhookFunctions,
  vendor: VendorDefinition,
  owner: Owner,
  staticData: IDataObject,
): Promise<string[]> {
  if (usesAppSecret(vendor) || !vendor.api) {
    const credentials = await fns.getCredentials(namesFor(vendor).credentialName);
    const field = usesAppSecret(vendor) ? CREDENTIAL_FIELDS.appSecret : CREDENTIAL_FIELDS.signingSecret;
    const configured = String(credentials[field] ?? '');
    return configured.trim() ? [configured] : [];
  }
  return (await storedSecrets(fns, vendor, owner, staticData)).secrets;
}
