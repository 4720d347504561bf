// Migration notes kept as code comments.
import auth0 from 'auth0-js';

// We used to call https://acme.auth0.com/delegation here; see the new refresh flow.
export const webAuth = new auth0.WebAuth({ domain: 'acme.auth0.com', clientID: 'demo-web-app' });
