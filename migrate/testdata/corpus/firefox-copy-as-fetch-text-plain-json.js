await fetch("https://tenant.eu.auth0.com/delegation", {
    "credentials": "omit",
    "headers": {
        "Accept": "*/*",
        "Content-Type": "text/plain;charset=UTF-8"
    },
    "referrer": "https://app.example.com/",
    "body": "{\"grant_type\":\"urn:ietf:params:oauth:grant-type:jwt-bearer\",\"client_id\":\"demo-native-app\",\"refresh_token\":\"v1.MRrT3gL0b_Zqk9Xc2rA4nW7yP\",\"api_type\":\"app\",\"scope\":\"openid email\"}",
    "method": "POST",
    "mode": "cors"
});
