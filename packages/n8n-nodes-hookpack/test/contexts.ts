// Hand-made stand-ins for the n8n function contexts the node uses (IHookFunctions,
// IWebhookFunctions): only the members the node calls, backed by plain objects the tests inspect.
import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

export interface HookSetup {
  credentials: IDataObject;
  params: IDataObject;
  staticData?: IDataObject;
  webhookUrl?: string;
  mode?: 'trigger' | 'manual' | 'webhook' | 'internal';
  /** n8n's ids of the workflow and the trigger node (default wf-1 / node-1). */
  workflowId?: string;
  nodeId?: string;
}

export const PRODUCTION_URL = 'https://n8n.example.com/webhook/5b1c1b3e-0000-4000-8000-000000000001/webhook';
export const TEST_URL = 'https://n8n.example.com/webhook-test/5b1c1b3e-0000-4000-8000-000000000001/webhook';

export function hookContext(setup: HookSetup): IHookFunctions & { staticData: IDataObject; logged: string[] } {
  const staticData = setup.staticData ?? {};
  const mode = setup.mode ?? 'trigger';
  const logged: string[] = [];
  const log = (level: string) => (message: string) => logged.push(`${level}: ${message}`);
  const ctx = {
    staticData,
    logged,
    logger: { info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') },
    getWorkflow: () => ({ id: setup.workflowId ?? 'wf-1', active: true }),
    getCredentials: async () => setup.credentials,
    getNodeWebhookUrl: () => setup.webhookUrl ?? (mode === 'manual' ? TEST_URL : PRODUCTION_URL),
    getNodeParameter: (name: string, fallback?: unknown) => (name in setup.params ? setup.params[name] : fallback),
    getWorkflowStaticData: () => staticData,
    getMode: () => mode,
    getNode: () => ({
      id: setup.nodeId ?? 'node-1',
      name: 'Trigger',
      type: 'n8n-nodes-hookpack.test',
      typeVersion: 1,
      position: [0, 0],
      parameters: {},
    }),
  };
  return ctx as unknown as IHookFunctions & { staticData: IDataObject; logged: string[] };
}

export interface WebhookSetup {
  credentials?: IDataObject;
  /** Credentials by type name, where a node reads more than one (the dedupe store's). */
  credentialsByName?: Record<string, IDataObject>;
  params: IDataObject;
  staticData?: IDataObject;
  body: Buffer | undefined;
  headers: Record<string, string>;
  workflowId?: string;
  nodeId?: string;
  /** Simulates n8n not keeping rawBody (multipart and other content types). */
  rawBodyOnlyOnRead?: boolean;
  /** Query parameters (n8n's getQueryData()) and method of the request. */
  query?: IDataObject;
  method?: string;
}

export interface SentResponse {
  status?: number;
  body?: unknown;
  ended: boolean;
  headers: Record<string, string>;
  /** What n8n does after webhook() returned workflowData: answers, and the response emits 'finish'. */
  finish(statusCode: number): void;
}

export function webhookContext(setup: WebhookSetup) {
  // A fresh node id per call unless given, so the in-memory dedupe window of one test never leaks into another.
  const nodeId = setup.nodeId ?? `node-${Math.random().toString(36).slice(2)}`;
  const staticData = setup.staticData ?? {};
  const finishListeners: (() => void)[] = [];
  const sent: SentResponse = {
    ended: false,
    headers: {},
    finish(statusCode: number) {
      response.statusCode = statusCode;
      for (const fn of finishListeners.splice(0)) fn();
    },
  };
  const request: { rawBody?: Buffer; readRawBody: () => Promise<void>; rawBodyReads: number; method: string } = {
    method: setup.method ?? 'POST',
    rawBodyReads: 0,
    async readRawBody() {
      request.rawBodyReads++;
      request.rawBody = setup.body;
    },
  };
  if (!setup.rawBodyOnlyOnRead) request.rawBody = setup.body;
  const response = {
    statusCode: 200,
    status(code: number) {
      sent.status = code;
      response.statusCode = code;
      return response;
    },
    setHeader(name: string, value: string) {
      sent.headers[name.toLowerCase()] = value;
      return response;
    },
    once(event: string, fn: () => void) {
      if (event === 'finish') finishListeners.push(fn);
      return response;
    },
    json(body: unknown) {
      sent.body = body;
      return response;
    },
    send(body: unknown) {
      sent.body = body;
      return response;
    },
    end() {
      sent.ended = true;
      return response;
    },
  };
  const lowerHeaders = Object.fromEntries(Object.entries(setup.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const logged: string[] = [];
  const log = (level: string) => (message: string) => logged.push(`${level}: ${message}`);
  const ctx = {
    logger: { info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') },
    getRequestObject: () => request,
    getResponseObject: () => response,
    getHeaderData: () => lowerHeaders,
    getQueryData: () => setup.query ?? {},
    getCredentials: async (name: string) => {
      const found = setup.credentialsByName?.[name] ?? setup.credentials;
      if (!found) throw new Error(`Node does not have credentials of type "${name}"`);
      return found;
    },
    getNodeParameter: (name: string, fallback?: unknown) => (name in setup.params ? setup.params[name] : fallback),
    getWorkflowStaticData: () => staticData,
    getMode: () => 'webhook',
    getWorkflow: () => ({ id: setup.workflowId ?? 'wf-1', active: true }),
    getNode: () => ({ id: nodeId, name: 'Trigger' }),
    helpers: {
      returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
    },
  };
  return { ctx: ctx as unknown as IWebhookFunctions, sent, request, staticData, logged };
}
