package main

import (
	"net/http"
	"net/url"
	"os"
)

// renew posts the legacy delegation request by hand.
func renew(refreshToken string) (*http.Response, error) {
	form := url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "refresh_token": {refreshToken}}
	return http.PostForm("https://"+os.Getenv("AUTH0_DOMAIN")+"/delegation", form)
}

func main() {
	// A local proxy in front of Auth0 serves /delegation itself.
	http.HandleFunc("/delegation", func(w http.ResponseWriter, r *http.Request) {})
	_ = http.ListenAndServe("127.0.0.1:8080", nil)
}
