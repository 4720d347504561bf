local http = require("socket.http")
local body = http.request("https://login.example.com/delegation", "refresh_token=" .. token)
