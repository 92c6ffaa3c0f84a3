// nock setup shared by the nock-based client tests (kept apart from client-fixtures.ts so the
// loopback test runs over real sockets with no interceptor loaded).
import nock from 'nock';

export function setupNock() {
  nock.disableNetConnect();
}

/** Fails the test when an interceptor it set up was never used. */
export function assertAllCalled() {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  if (pending.length) throw new Error(`expected requests not made: ${pending.join(', ')}`);
}
