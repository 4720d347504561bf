curl -u 'demo-backend:DEMO_BACKEND_SECRET' https://tenant.eu.auth0.com/delegation \
  -d grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer \
  -d refresh_token=v1.MRrT3gL0b_Zqk9Xc2rA4nW7yP \
  -d scope=openid
