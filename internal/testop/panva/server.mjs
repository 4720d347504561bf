// panva's oidc-provider (OpenID Certified) on loopback, for the sign-in
// tests: a second, independent OpenID provider with its default claims.
// internal/testop/panva.go starts it; nothing else should.
//
//   TOKENSCOPE_OIDC_PROVIDER_DIR  where `npm ci` installed package-lock.json
//                                 (outside the work tree; see `make test-peers`)
//   TOKENSCOPE_PEER_CLIENTS       the clients, a JSON array of client metadata
//                                 (RFC 7591 names, as oidc-provider takes them)
//   TOKENSCOPE_PEER_PORT          the port on 127.0.0.1 (default 0: any free one)
//
// Prints the issuer on stdout once it listens, and exits when stdin closes
// (the Go test that started it is gone) or on SIGTERM.
//
// Only the features a sign-in needs are turned on; every claim and token
// default is oidc-provider's own (https://github.com/panva/node-oidc-provider/blob/main/docs/README.md):
// that is the point of running it.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.env.TOKENSCOPE_OIDC_PROVIDER_DIR;
if (!dir) {
  console.error('server.mjs: TOKENSCOPE_OIDC_PROVIDER_DIR is not set: run `make test-peers`');
  process.exit(2);
}
// ESM ignores NODE_PATH: resolve the package from the install directory.
const entry = createRequire(join(dir, 'package.json')).resolve('oidc-provider');
const { default: Provider } = await import(pathToFileURL(entry).href);

const clients = JSON.parse(process.env.TOKENSCOPE_PEER_CLIENTS || '[]');
const port = Number(process.env.TOKENSCOPE_PEER_PORT || 0);

const server = createServer();
server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients,
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    features: {
      devInteractions: { enabled: true }, // a login page that takes any login and password
      deviceFlow: { enabled: true }, // RFC 8628
      revocation: { enabled: true }, // RFC 7009
      clientCredentials: { enabled: true }, // RFC 6749 §4.4
      userinfo: { enabled: true }, // OpenID Connect Core §5.3
    },
  });
  server.on('request', provider.callback());
  process.stdout.write(`${issuer}\n`);
});

process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
