fetch("https://tenant.eu.auth0.com/delegation", {
  "headers": {
    "accept": "*/*",
    "content-type": "application/x-www-form-urlencoded"
  },
  "referrer": "https://app.example.com/",
  "body": "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=demo-native-app&target=demo-native-app&api_type=auth0&refresh_token=v1.MRrT3gL0b_Zqk9Xc2rA4nW7yP&scope=passthrough",
  "method": "POST",
  "mode": "cors",
  "credentials": "omit"
});
