package legacy

import (
	"net/http"
	"net/url"
)

// auth0BaseURL is the tenant, with a trailing slash.
var auth0BaseURL = "https://acme.auth0.com/"

func tokenInfo(idToken string) (*http.Response, error) {
	return http.PostForm(auth0BaseURL+"tokeninfo", url.Values{"id_token": {idToken}})
}
