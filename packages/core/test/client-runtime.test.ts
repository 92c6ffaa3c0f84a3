// createSubscriptionClientWith: the client on the host's HTTP and timers (n8n passes its own,
// since n8n Cloud refuses the timer globals); options.fetch / options.sleep still win.
import { describe, expect, it } from 'vitest';
import { createSubscriptionClientWith, HookpackInputError, type ClientRuntime } from '../src/index.js';
import { acmeVendor, BASE, hook, KEY } from './client-fixtures.js';

function recordingRuntime(answers: Array<[number, unknown]>) {
  const calls: string[] = [];
  const waits: number[] = [];
  const runtime: ClientRuntime = {
    fetch: async (url, init) => {
      calls.push(`${init.method ?? 'GET'} ${url}`);
      const [status, body] = answers.shift() ?? [500, { error: { message: 'no answer left' } }];
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    },
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
  return { runtime, calls, waits };
}

describe('createSubscriptionClientWith', () => {
  it("sends through the runtime's fetch and waits between attempts with its sleep", async () => {
    const { runtime, calls, waits } = recordingRuntime([
      [429, { error: { message: 'slow down' } }],
      [200, { data: { hooks: [hook('wh_1', 'https://example.com/a')] } }],
    ]);
    const client = createSubscriptionClientWith(acmeVendor(), { apiKey: KEY }, runtime);
    const listed = await client.list();
    expect(listed.map((s) => s.id)).toEqual(['wh_1']);
    expect(calls).toEqual([`GET ${BASE}/v2/hooks`, `GET ${BASE}/v2/hooks`]);
    expect(waits).toHaveLength(1);
  });

  it('options.fetch and options.sleep win over the runtime', async () => {
    const host = recordingRuntime([]);
    const own = recordingRuntime([[200, { data: { hooks: [] } }]]);
    const client = createSubscriptionClientWith(
      acmeVendor(),
      { apiKey: KEY, fetch: own.runtime.fetch, sleep: own.runtime.sleep },
      host.runtime,
    );
    expect(await client.list()).toEqual([]);
    expect(host.calls).toEqual([]);
    expect(own.calls).toHaveLength(1);
  });

  it('a runtime without fetch or sleep is refused before any request, naming what is missing', () => {
    const { runtime } = recordingRuntime([]);
    expect(() =>
      createSubscriptionClientWith(acmeVendor(), { apiKey: KEY }, { ...runtime, sleep: undefined as never }),
    ).toThrow(HookpackInputError);
    expect(() =>
      createSubscriptionClientWith(acmeVendor(), { apiKey: KEY }, { ...runtime, sleep: undefined as never }),
    ).toThrow(/no sleep function/);
    expect(() =>
      createSubscriptionClientWith(acmeVendor(), { apiKey: KEY }, { ...runtime, fetch: undefined as never }),
    ).toThrow(/no fetch implementation/);
  });
});
