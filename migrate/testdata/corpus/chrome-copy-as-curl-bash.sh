curl 'https://tenant.eu.auth0.com/delegation' \
  -H 'accept: */*' \
  -H 'content-type: application/x-www-form-urlencoded' \
  -H 'origin: https://app.example.com' \
  --data-raw 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=demo-native-app&target=demo-native-app&api_type=auth0&refresh_token=v1.MRrT3gL0b_Zqk9Xc2rA4nW7yP&scope=passthrough' \
  --compressed
