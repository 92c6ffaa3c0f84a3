import type { VendorDefinition } from '../vendor.js';

type Add = (field: string, problem: string, fix: string) => void;

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Client credentials: the token endpoint must be a URL once its `{field}` placeholders are
 * filled, each placeholder a declared field, and the scope said. Read as untyped data.
 */
export function checkClientCredentials(vendor: VendorDefinition, add: Add): void {
  const auth = vendor.auth as unknown as Record<string, unknown>;
  if (auth.kind !== 'clientCredentials') return;
  const fields = Array.isArray(auth.fields) ? (auth.fields as Record<string, unknown>[]) : undefined;
  if (!fields) {
    add('auth.fields', 'is not a list', 'list the credential fields the token URL names ([] for none)');
    return;
  }
  const names = new Set<string>();
  fields.forEach((f, i) => {
    const name = f?.name;
    if (typeof name !== 'string' || !FIELD_NAME.test(name))
      add(`auth.fields[${i}].name`, `"${String(name)}" is not a field name`, 'use letters, digits and _');
    else if (names.has(name)) add(`auth.fields[${i}].name`, `"${name}" is declared twice`, 'declare each field once');
    else names.add(name);
    for (const key of ['displayName', 'description'] as const)
      if (typeof f?.[key] !== 'string' || (f[key] as string).trim() === '')
        add(`auth.fields[${i}].${key}`, 'is empty', 'say what the user enters, for the credential form');
  });
  if (typeof auth.scope !== 'string' || auth.scope.trim() === '')
    add(
      'auth.scope',
      'is empty',
      "name the scope the token endpoint grants (Graph: 'https://graph.microsoft.com/.default')",
    );
  if (typeof auth.clientHelp !== 'string' || auth.clientHelp.trim() === '')
    add('auth.clientHelp', 'is empty', 'say where the user finds the client id and secret');
  const tokenUrl = auth.tokenUrl;
  if (typeof tokenUrl !== 'string') {
    add('auth.tokenUrl', 'is not a string', 'give the documented token endpoint');
    return;
  }
  for (const [, field] of tokenUrl.matchAll(/\{([^}]*)\}/g))
    if (!names.has(field!))
      add('auth.tokenUrl', `names {${field}}, which is not among auth.fields`, `declare a field named "${field}"`);
  try {
    const url = new URL(tokenUrl.replace(/\{[^}]*\}/g, 'x'));
    if (url.protocol !== 'https:') add('auth.tokenUrl', 'is not https', 'give the documented https token endpoint');
  } catch {
    add('auth.tokenUrl', `"${tokenUrl}" is not a URL`, 'give the documented token endpoint');
  }
}
