import type { DedupeStore } from '@hookpack/core';
import type {
  ICredentialDataDecryptedObject,
  ICredentialsDecrypted,
  ICredentialTestFunctions,
  INodeCredentialTestResult,
} from 'n8n-workflow';
import type { Owner } from './ownership.js';

/**
 * A redelivery check shared by every n8n process (the Redis store). The node factory is handed
 * one rather than importing it, so a build without it (n8n Cloud, which refuses `node:net`)
 * carries none of its code.
 */
export interface SharedDedupe {
  /** The n8n credential that configures the store, and the node method that tests it. */
  credential: { name: string; testMethod: string };
  testCredential(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult>;
  /** The store of one trigger node (its keys scoped by workflow and node). */
  open(credentials: ICredentialDataDecryptedObject, owner: Owner, windowMs: number, claimMs: number): DedupeStore;
}
