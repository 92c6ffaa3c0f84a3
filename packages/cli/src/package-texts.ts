// The README and LICENSE a built package gets when the caller brings none.
import type { VendorDefinition } from '@hookpack/core';

export function mitLicense(holder: string, year = new Date().getUTCFullYear()): string {
  return `MIT License

Copyright (c) ${year} ${holder}

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`;
}

export function n8nReadme(name: string, vendors: readonly VendorDefinition[], cloud = false): string {
  const list = vendors.map((v) => `- **${v.displayName} Trigger** — ${v.description ?? ''}`.trimEnd()).join('\n');
  return `# ${name}

n8n trigger nodes, built by [hookpack](https://github.com/hookpack/hookpack) from vendor descriptions:

${list}

## Install

In n8n: _Settings → Community Nodes → Install_ → \`${name}\` (once published to npm). From a
tarball: \`cd ~/.n8n/nodes && npm install /path/to/${name.replace(/^@[^/]+\//, '')}-<version>.tgz\`, then restart n8n.

## What each trigger does

Activating a workflow registers n8n's webhook URL with the vendor for the selected events and
keeps the subscription's signing secret sealed in the node's state; deactivating deletes it.
Every delivery is verified on its exact raw bytes before the workflow runs: a bad or missing
signature is answered 401, invalid JSON 400, unselected events 200 without a run, and a
redelivery of the same event runs once.
${
  cloud
    ? `
This build is for n8n Cloud (\`hookpack build n8n --cloud\`): it has no runtime dependencies, no
timer globals and no sockets, so the redelivery check runs in the n8n process that received the
delivery (there is no "In Redis" choice, which queue mode needs to catch redeliveries that reach
another process).
`
    : `
The "In Redis" redelivery check is shared by every n8n process (queue mode) and survives
restarts. n8n Cloud does not allow community nodes to open sockets: build with
\`hookpack build n8n --cloud\` for a package without it.
`
}`;
}
