$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession
$session.UserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
Invoke-WebRequest -UseBasicParsing -Uri "https://tenant.eu.auth0.com/delegation" `
-Method "POST" `
-WebSession $session `
-Headers @{
"accept"="*/*"
  "origin"="https://app.example.com"
} `
-ContentType "application/x-www-form-urlencoded" `
-Body "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=demo-native-app&target=demo-native-app&api_type=auth0&refresh_token=v1.MRrT3gL0b_Zqk9Xc2rA4nW7yP&scope=passthrough"
