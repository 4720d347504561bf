import * as auth0 from 'auth0-js';
import { createAuth0Client } from '@auth0/auth0-spa-js';

export class Session {
  private webAuth = new auth0.WebAuth({ domain: 'acme.auth0.com', clientID: 'demo-web-app' });

  constructor(private readonly authentication: auth0.Authentication) {}

  firebase(idToken: string) {
    // auth0.js 9 still ships client.delegation (src/authentication/index.js).
    this.webAuth.client.delegation({ id_token: idToken, api_type: 'firebase' }, () => {});
  }

  passwordLogin(username: string, password: string) {
    this.authentication.loginWithResourceOwner({ username, password, connection: 'db' }, () => {});
  }

  renew() {
    // Already migrated: silent authentication.
    this.webAuth.checkSession({}, () => {});
  }

  profile(accessToken: string) {
    this.webAuth.client.userInfo(accessToken, () => {});
  }
}

export async function modern() {
  const client = await createAuth0Client({ domain: 'acme.auth0.com', clientId: 'demo-web-app', useRefreshTokens: true });
  return client.getTokenSilently();
}
