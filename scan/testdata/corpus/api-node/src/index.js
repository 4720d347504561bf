const express = require('express');
const { AuthenticationClient } = require('auth0');

const auth0 = new AuthenticationClient({
  domain: process.env.AUTH0_DOMAIN,
  clientId: process.env.AUTH0_CLIENT_ID,
});

const app = express();

// This service's own route is not a call to Auth0's /delegation.
app.post('/delegation', async (req, res) => {
  const token = await auth0.tokens.getDelegationToken({
    id_token: req.body.id_token,
    target: process.env.TARGET_CLIENT_ID,
    api_type: 'app',
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
  });
  res.json(token);
});

app.get('/me', async (req, res) => {
  const info = await auth0.tokens.getInfo(req.query.id_token);
  const user = await auth0.users.getInfo(req.query.access_token); // /userinfo
  res.json({ info, user });
});

app.post('/login', (req, res) => {
  auth0.oauth.signIn({ username: req.body.username, password: req.body.password, connection: 'db' }, (err, tokens) => res.json(tokens));
});

module.exports = app;
