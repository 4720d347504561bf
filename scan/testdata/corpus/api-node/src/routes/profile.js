const express = require('express');
const auth0 = require('../auth0-client');
const { users } = require('../store');

const router = express.Router();

router.get('/profile', async (req, res) => {
  const info = await auth0.tokens.getInfo(req.query.id_token);
  const local = await users.getInfo(req.query.id);
  res.json({ info, local });
});

module.exports = router;
