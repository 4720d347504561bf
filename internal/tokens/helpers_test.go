package tokens

import (
	"encoding/json"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

func jwkJSON(t testing.TB, key any, kid string) string {
	t.Helper()
	b, err := json.Marshal(jose.JSONWebKey{Key: key, KeyID: kid})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
