// Build output, ignored by .gitignore.
import Auth0 from 'auth0-js';
new Auth0({}).getDelegationToken({}, () => {});
