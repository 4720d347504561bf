// Facebook's own token endpoint is not Auth0's /oauth/access_token.
import auth0 from 'auth0-js';

export const webAuth = new auth0.WebAuth({ domain: 'acme.auth0.com', clientID: 'demo-web-app' });

export async function facebookLongLived(shortToken) {
  const url = 'https://graph.facebook.com/oauth/access_token?grant_type=fb_exchange_token&fb_exchange_token=' + shortToken;
  return (await fetch(url)).json();
}
