import urljoin from 'url-join';

// auth0 tenant calls built from a base URL
const AUTH0_URL = process.env.AUTH0_URL;

export const renew = (body) => fetch(`${AUTH0_URL}delegation`, { method: 'POST', body });
export const login = (body) => fetch(urljoin(AUTH0_URL, 'oauth/ro'), { method: 'POST', body });

// Not requests: a log line and a settings key.
console.log('delegation');
export const features = { delegation: false };
