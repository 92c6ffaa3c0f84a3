import { randomUUID } from 'node:crypto';

/**
 * Creates, in a running n8n, a credential for the vendor pointed at the hookpack sandbox and an
 * inactive one-node workflow holding the vendor's hookpack trigger for `events`. Names follow
 * n8n-nodes-hookpack's conventions: credential `hookpack<Id>Api`, node `n8n-nodes-hookpack.<id>Trigger`.
 * Parsley Recipes-style vendors (no API) get `signingSecret` in their credential instead.
 */
/**
 * `packageName`: the community package the node comes from (a package `hookpack build n8n`
 * wrote has its own name). `dedupe`: `{ credential: {id, name} }` of a `hookpackRedis` credential switches the trigger's
 * redelivery check to that Redis (node parameter `dedupeStore: 'redis'`); default: in memory.
 * `options`: the node's Options collection (`{ healthCheckMinutes: 1 }`…).
 */
/** n8n-nodes-hookpack's credential type name for a vendor (its namesFor().credentialName). */
export function credentialTypeOf(vendor) {
  return `hookpack${vendor.id.charAt(0).toUpperCase()}${vendor.id.slice(1)}Api`;
}

/** n8n-nodes-hookpack's credential field for one of a client-credentials vendor's `auth.fields` (its authFieldName). */
export function authFieldOf(name) {
  return `auth_${name}`;
}

export async function createTriggerWorkflow(
  rest,
  { n8nUrl, sandbox, vendor, events, name, signingSecret, dedupe, packageName = 'n8n-nodes-hookpack', options },
) {
  const credentialType = credentialTypeOf(vendor);
  const data = vendor.api
    ? {
        ...apiAuthData(sandbox, vendor),
        baseUrl: sandbox.baseUrl(vendor.id),
        allowHttpWebhookUrl: true,
        // Vendors that sign with the app's secret (Shopify's client secret) take it in the credential.
        ...(vendor.signature.secretSource === 'app' ? { appSecret: sandbox.appSecret(vendor.id) } : {}),
      }
    : { signingSecret };
  const credential = await rest.createCredential(`${vendor.displayName} (sandbox)`, credentialType, data);
  const webhookId = randomUUID();
  // Required subscription options (a store id…) filled from the definition; the sandbox takes any value.
  const required = vendor.api ? vendor.subscriptionOptions.filter((o) => o.required).map(sandboxOptionValue) : [];
  const workflow = await rest.createWorkflow({
    name,
    active: false,
    nodes: [
      {
        id: randomUUID(),
        name: `${vendor.displayName} Trigger`,
        type: `${packageName}.${vendor.id}Trigger`,
        typeVersion: 1,
        position: [0, 0],
        webhookId,
        parameters: {
          events,
          ...(dedupe ? { dedupeStore: 'redis' } : {}),
          ...(required.length > 0 ? { subscriptionOptions: Object.fromEntries(required) } : {}),
          ...(options ? { options } : {}),
        },
        credentials: {
          [credentialType]: { id: credential.id, name: credential.name },
          ...(dedupe ? { hookpackRedis: { id: dedupe.credential.id, name: dedupe.credential.name } } : {}),
        },
      },
    ],
    connections: {},
    settings: { saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
  });
  return {
    workflowId: workflow.id,
    webhookId,
    productionUrl: `${n8nUrl}/webhook/${webhookId}/webhook`,
    credential: { id: credential.id, name: credential.name, type: credentialType, data },
  };
}

/**
 * The credential fields that authenticate API calls: the sandbox's API key, or for
 * client-credentials vendors its app id and secret, its token endpoint and a value for each
 * field the token URL names (`auth_<name>`, which the sandbox takes whatever it is).
 */
function apiAuthData(sandbox, vendor) {
  if (vendor.auth.kind !== 'clientCredentials') return { apiKey: sandbox.apiKey(vendor.id) };
  const { clientId, clientSecret, tokenUrl } = sandbox.clientCredentials(vendor.id);
  return {
    clientId,
    clientSecret,
    tokenUrl,
    ...Object.fromEntries(vendor.auth.fields.map((f) => [authFieldOf(f.name), `sandbox-${f.name}`])),
  };
}

/** `[name, value]` for a required option: a value of its declared type (the n8n parameter's form). */
function sandboxOptionValue(option) {
  if (option.type === 'boolean') return [option.name, true];
  return [option.name, `sandbox-${option.name.replace(/[^A-Za-z0-9]+/g, '-')}`];
}
