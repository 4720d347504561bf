// A hand-rolled renewal: the call auth0.js v7 makes, copied from DevTools.
const AUTH0_DOMAIN = 'acme.auth0.com';

export async function renewByHand(refreshToken) {
  const res = await fetch(`https://${AUTH0_DOMAIN}/delegation`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      refresh_token: refreshToken,
      api_type: 'app',
      scope: 'openid',
    }),
  });
  return res.json();
}

export function tokenInfo(idToken) {
  return $.post('https://' + AUTH0_DOMAIN + '/tokeninfo', { id_token: idToken });
}
