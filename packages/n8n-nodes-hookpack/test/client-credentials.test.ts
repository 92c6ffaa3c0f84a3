// A client-credentials vendor in n8n (test/fixtures/parley-app-only.ts): its credential asks for
// the app's id, secret and token-URL fields, and n8n's credential test runs in the node (n8n
// cannot fetch the token for a declarative test), against the sandbox's token endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { startSandbox, type Sandbox } from '@hookpack/sandbox';
import { parleyAppOnly as vendor } from '../../../test/fixtures/parley-app-only.js';
import { authFieldName, CLIENT_CREDENTIALS_TEST, createCredentialClass, CREDENTIAL_FIELDS } from '../src/credential.js';
import { createTriggerNodeClass } from '../src/trigger.js';
import { namesFor } from '../src/names.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ vendors: [vendor], rateLimits: false });
});
afterAll(async () => sandbox?.stop());

function credentialData(clientSecret = sandbox.clientCredentials(vendor.id).clientSecret) {
  const { clientId, tokenUrl } = sandbox.clientCredentials(vendor.id);
  return {
    [CREDENTIAL_FIELDS.clientId]: clientId,
    [CREDENTIAL_FIELDS.clientSecret]: clientSecret,
    [CREDENTIAL_FIELDS.tokenUrl]: tokenUrl,
    [authFieldName('tenant')]: 'contoso',
    [CREDENTIAL_FIELDS.baseUrl]: sandbox.baseUrl(vendor.id),
  };
}

describe('client credentials in n8n', () => {
  it("the credential asks for the app's id and secret, each token-URL field, and the token URL", () => {
    const Credential = createCredentialClass(vendor);
    const credential = new Credential();
    expect(credential.properties.map((p) => p.name)).toEqual([
      'clientId',
      'clientSecret',
      'auth_tenant',
      'tokenUrl',
      'baseUrl',
      'allowHttpWebhookUrl',
    ]);
    const secret = credential.properties.find((p) => p.name === 'clientSecret')!;
    expect(secret.typeOptions).toEqual({ password: true });
    expect(credential.properties.find((p) => p.name === 'tokenUrl')!.default).toBe(
      (vendor.auth as { tokenUrl: string }).tokenUrl,
    );
    // No declarative request: n8n could not get the token for it.
    expect(credential.authenticate).toBeUndefined();
    expect(credential.test).toBeUndefined();
  });

  it("n8n's credential test runs in the node: OK with the app's secret, the vendor's refusal with another", async () => {
    const Node = createTriggerNodeClass(vendor);
    const node = new Node();
    const entry = node.description.credentials!.find((c) => c.name === namesFor(vendor).credentialName)!;
    expect(entry.testedBy).toBe(CLIENT_CREDENTIALS_TEST);
    const test = node.methods!.credentialTest![CLIENT_CREDENTIALS_TEST]! as (
      this: ICredentialTestFunctions,
      c: ICredentialsDecrypted,
    ) => Promise<INodeCredentialTestResult>;
    const run = (data: Record<string, unknown>) =>
      test.call(
        {} as ICredentialTestFunctions,
        { id: '1', name: 'c', type: entry.name, data } as ICredentialsDecrypted,
      );
    expect(await run(credentialData())).toMatchObject({ status: 'OK' });
    const refused = await run(credentialData('not-the-secret'));
    expect(refused.status).toBe('Error');
    expect(refused.message).toContain("refused the app's client credentials (401: invalid_client");
    expect(refused.message).not.toContain('not-the-secret');
  });
});
