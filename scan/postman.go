package scan

import (
	"encoding/json"
	"strings"
)

// A Postman collection (v2.0/v2.1): items nest in folders; a request has a
// method, headers, a body and a URL that is a string or an object with raw.
type postmanItem struct {
	Item    []postmanItem `json:"item"`
	Request *struct {
		Method string `json:"method"`
		Header []struct {
			Key      string `json:"key"`
			Value    string `json:"value"`
			Disabled bool   `json:"disabled"`
		} `json:"header"`
		Body *struct {
			Mode       string `json:"mode"`
			Raw        string `json:"raw"`
			URLEncoded []struct {
				Key   string `json:"key"`
				Value string `json:"value"`
			} `json:"urlencoded"`
		} `json:"body"`
		URL json.RawMessage `json:"url"`
	} `json:"request"`
}

// postmanRequests maps each request's raw URL in a collection to the raw
// HTTP request it sends ({{variables}} as written, the host as YOUR_DOMAIN
// when it is one), for Open in Migrate. Not a collection: nil.
func postmanRequests(src string) map[string]string {
	if !strings.Contains(src, "getpostman.com") && !strings.Contains(src, "_postman_id") {
		return nil
	}
	var c postmanItem
	if json.Unmarshal([]byte(src), &c) != nil {
		return nil
	}
	out := map[string]string{}
	var walk func(items []postmanItem)
	walk = func(items []postmanItem) {
		for _, it := range items {
			walk(it.Item)
			r := it.Request
			if r == nil {
				continue
			}
			var raw string
			if json.Unmarshal(r.URL, &raw) != nil {
				var u struct {
					Raw string `json:"raw"`
				}
				json.Unmarshal(r.URL, &u)
				raw = u.Raw
			}
			ep := legacyURL(raw, true)
			if raw == "" || ep == "" {
				continue
			}
			head := strings.SplitN(requestFor(raw, ep, nil), "\r\n", 3) // request line, Host, blank
			method := r.Method
			if method == "" {
				method = "GET"
			}
			req := method + strings.TrimPrefix(head[0], strings.Fields(head[0])[0]) + "\r\n" + head[1] + "\r\n"
			for _, h := range r.Header {
				if !h.Disabled && !strings.EqualFold(h.Key, "host") {
					req += h.Key + ": " + h.Value + "\r\n"
				}
			}
			body := ""
			if b := r.Body; b != nil {
				switch b.Mode {
				case "raw":
					body = b.Raw
				case "urlencoded":
					var parts []string
					for _, kv := range b.URLEncoded {
						parts = append(parts, kv.Key+"="+kv.Value)
					}
					body = strings.Join(parts, "&")
					if !strings.Contains(strings.ToLower(req), "content-type:") {
						req += "Content-Type: application/x-www-form-urlencoded\r\n"
					}
				}
			}
			out[raw] = req + "\r\n" + body
		}
	}
	walk(c.Item)
	return out
}
