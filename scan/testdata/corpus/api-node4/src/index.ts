import { AuthenticationClient } from 'auth0';

const auth0 = new AuthenticationClient({ domain: 'acme.auth0.com', clientId: 'demo-backend', clientSecret: process.env.SECRET! });

// node-auth0 4: the OIDC-conformant calls.
export async function refresh(refreshToken: string) {
  const { data } = await auth0.oauth.refreshTokenGrant({ refresh_token: refreshToken });
  return data;
}

export async function login(username: string, password: string) {
  return auth0.oauth.passwordGrant({ username, password, realm: 'db' });
}
