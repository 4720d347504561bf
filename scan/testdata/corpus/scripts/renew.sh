#!/bin/sh
# Renews an ID token the legacy way; see the /delegation docs.
set -eu
curl --request POST \
  --url "https://${AUTH0_DOMAIN}/delegation" \
  --header 'content-type: application/json' \
  --data '{"client_id":"demo-native-app","grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","refresh_token":"'"$REFRESH_TOKEN"'","api_type":"app","scope":"openid"}'

curl -s https://acme.auth0.com/user/ssodata
