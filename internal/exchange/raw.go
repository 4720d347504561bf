package exchange

import (
	"encoding/json"
	"net/url"
)

// rawKeys lists the members of a token response, JSON or form-encoded,
// so every one of them can be shown.
func rawKeys(body []byte) []string {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) == nil {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		return keys
	}
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return nil
	}
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	return keys
}
