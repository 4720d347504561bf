package demotenant

import (
	"fmt"

	"github.com/tokenscope/tokenscope/internal/oauth"
)

// SampleDelegation is a legacy /delegation call for this tenant, as curl,
// with a fresh refresh token of the native app (legacy calls carried no
// secret for native apps).
func (t *Tenant) SampleDelegation() (string, error) {
	rt, err := t.MintRefreshToken("demo-native-app", DemoScope, "")
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(`curl --request POST \
  --url %sdelegation \
  --header 'Content-Type: application/json' \
  --data '{
    "grant_type": "%s",
    "client_id": "demo-native-app",
    "refresh_token": "%s",
    "api_type": "app",
    "scope": "openid profile email"
  }'`, t.Issuer(), oauth.GrantJWTBearer, rt), nil
}
