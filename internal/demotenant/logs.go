package demotenant

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// LogEntry is one event of the tenant log, in the shape GET /api/v2/logs
// returns (go-auth0's management.Log): date, type, description,
// client_id, client_name, ip, user_agent, hostname, log_id, details.
type LogEntry struct {
	Date        time.Time
	Type        string
	Description string
	ClientID    string
	ClientName  string
	IP          string
	UserAgent   string
	Hostname    string
	LogID       string
	Details     map[string]any
}

// MarshalJSON writes the entry as Auth0 does, the date in UTC with
// milliseconds ("2026-12-06T10:15:00.000Z").
func (e LogEntry) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{
		"date": e.Date.UTC().Format("2006-01-02T15:04:05.000Z"), "type": e.Type, "description": e.Description,
		"client_id": e.ClientID, "client_name": e.ClientName, "ip": e.IP, "user_agent": e.UserAgent,
		"hostname": e.Hostname, "log_id": e.LogID, "details": e.Details,
	})
}

// LogTypeDepnote is the log event type of a deprecation notice
// (https://auth0.com/docs/troubleshoot/basic-issues/search-logs-for-deprecation-errors:
// search "type:depnote"; "Deprecation Notice" in the Dashboard).
const LogTypeDepnote = "depnote"

// The legacy features the demo tenant notes the use of, one per endpoint.
// Auth0 publishes no feature IDs for these three; the IDs and names are
// the demo's, in the shape of the ones it does publish (details.feature
// {id, name}, e.g. "legacy_custom_claims" in
// https://community.auth0.com/t/non-namespaced-custom-claims-deprecation-info-is-unclear/96064).
const (
	FeatureDelegation = "legacy_delegation"
	FeatureRO         = "legacy_ro"
	FeatureTokeninfo  = "legacy_tokeninfo"
)

// legacyFeatures name each feature and its endpoint.
var legacyFeatures = map[string]struct{ name, path string }{
	FeatureDelegation: {"Legacy /delegation endpoint", "/delegation"},
	FeatureRO:         {"Legacy Resource Owner endpoint (/oauth/ro)", "/oauth/ro"},
	FeatureTokeninfo:  {"Legacy /tokeninfo endpoint", "/tokeninfo"},
}

// FeatureDescription is a depnote's description for a feature, worded as
// Auth0 words its deprecation notices ("Legacy Management of Connection's
// Enabled Clients: This feature is being deprecated. Please see
// details.feature of this log for more information.", auth0/auth0-deploy-cli#1390).
func FeatureDescription(feature string) string {
	return legacyFeatures[feature].name + ": This feature is being deprecated. Please see details.feature of this log for more information."
}

// Logs returns the tenant log, oldest first.
func (t *Tenant) Logs() []LogEntry {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.logs)
}

// depnoteLocked writes a deprecation notice for a legacy feature a client
// used, unless one was written for the same feature and client in the
// same hour on the tenant's clock: "Deprecation notices are only shown
// once per hour (the first time the error occurs within that hour)"
// (https://auth0.com/docs/troubleshoot/basic-issues/search-logs-for-deprecation-errors).
// It says whether it wrote one. Call it with t.mu held.
func (t *Tenant) depnoteLocked(feature string, c *Client, ip, userAgent string, at time.Time) bool {
	hour := at.UTC().Truncate(time.Hour)
	key := feature + "|" + c.ID
	last, seen := t.depnoted[key]
	if seen && last.Equal(hour) {
		return false
	}
	if !seen || hour.After(last) {
		t.depnoted[key] = hour
	}
	f := legacyFeatures[feature]
	t.appendLogLocked(LogEntry{Date: at, Type: LogTypeDepnote, Description: FeatureDescription(feature), ClientID: c.ID, ClientName: c.Name,
		IP: ip, UserAgent: userAgent, Hostname: t.issuerHost, Details: map[string]any{
			"feature": map[string]any{"id": feature, "name": f.name},
			"request": map[string]any{"method": "POST", "path": f.path, "ip": ip, "userAgent": userAgent},
		}})
	return true
}

// depnote is depnoteLocked for a request now.
func (t *Tenant) depnote(feature string, c *Client, r *http.Request) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.depnoteLocked(feature, c, clientIP(r), r.UserAgent(), t.cfg.Now())
}

// appendLogLocked adds an entry with the next log_id: 56 digits that sort
// as the entries were written, like Auth0's
// ("90020211201185132572079310688835925971249535794074878050",
// https://auth0.com/docs/deploy-monitor/logs/retrieve-log-events-using-mgmt-api).
// Past Config.MaxLogs the oldest entry goes.
func (t *Tenant) appendLogLocked(e LogEntry) {
	t.logSeq++
	e.LogID = fmt.Sprintf("9002%052d", t.logSeq)
	t.logs = append(t.logs, e)
	if over := len(t.logs) - t.cfg.MaxLogs; over > 0 {
		t.logs = slices.Delete(t.logs, 0, over)
	}
}

// logQuery is the part of Auth0's Lucene query syntax the demo
// understands: field:value terms joined by AND (or a space) over type,
// client_id, description (with * wildcards) and date, a day or a range
// [FROM TO] (inclusive) or {FROM TO} (exclusive), each end a date, a
// timestamp or * (https://auth0.com/docs/deploy-monitor/logs/log-search-query-syntax).
type logQuery struct {
	terms []func(LogEntry) bool
}

func (q logQuery) match(e LogEntry) bool {
	for _, m := range q.terms {
		if !m(e) {
			return false
		}
	}
	return true
}

func parseLogQuery(s string) (logQuery, *mgmtError) {
	var q logQuery
	for rest := strings.TrimSpace(s); rest != ""; rest = strings.TrimSpace(rest) {
		i := strings.IndexByte(rest, ':')
		if word, after, _ := strings.Cut(rest, " "); word == "AND" {
			rest = after
			continue
		}
		if i <= 0 {
			return q, badQuery("The demo tenant cannot read the query %q: it understands field:value terms joined by AND.", s)
		}
		field, v := rest[:i], rest[i+1:]
		var value string
		switch {
		case strings.HasPrefix(v, "[") || strings.HasPrefix(v, "{"):
			end := strings.IndexAny(v, "]}")
			if end < 0 {
				return q, badQuery("The range in %q has no end.", s)
			}
			value, rest = v[:end+1], v[end+1:]
		case strings.HasPrefix(v, `"`):
			end := strings.IndexByte(v[1:], '"')
			if end < 0 {
				return q, badQuery("The quote in %q has no end.", s)
			}
			value, rest = v[1:end+1], v[end+2:]
		default:
			value, rest, _ = strings.Cut(v, " ")
		}
		m, err := logTerm(field, value)
		if err != nil {
			return q, err
		}
		q.terms = append(q.terms, m)
	}
	return q, nil
}

func logTerm(field, value string) (func(LogEntry) bool, *mgmtError) {
	switch field {
	case "type":
		return func(e LogEntry) bool { return e.Type == value }, nil
	case "client_id":
		return func(e LogEntry) bool { return e.ClientID == value }, nil
	case "description":
		pattern := strings.ToLower(value)
		return func(e LogEntry) bool { return wildcard(pattern, strings.ToLower(e.Description)) }, nil
	case "date":
		from, to, err := dateRange(value)
		if err != nil {
			return nil, err
		}
		return func(e LogEntry) bool { return !e.Date.Before(from) && e.Date.Before(to) }, nil
	}
	return nil, badQuery("The demo tenant's log search does not know the field %q (it knows type, client_id, description and date).", field)
}

// wildcard matches s against a pattern where * stands for any run of
// characters (slashes too, unlike path.Match) and ? for one.
func wildcard(pattern, s string) bool {
	p, str := []rune(pattern), []rune(s)
	star, mark := -1, 0
	i, j := 0, 0
	for j < len(str) {
		switch {
		case i < len(p) && (p[i] == '?' || p[i] == str[j]):
			i++
			j++
		case i < len(p) && p[i] == '*':
			star, mark = i, j
			i++
		case star >= 0:
			i, mark = star+1, mark+1
			j = mark
		default:
			return false
		}
	}
	for i < len(p) && p[i] == '*' {
		i++
	}
	return i == len(p)
}

// dateRange turns a date term into [from, to).
func dateRange(v string) (from, to time.Time, err *mgmtError) {
	if v == "" {
		return from, to, badQuery("The date term is empty.")
	}
	if v[0] != '[' && v[0] != '{' {
		day, dayOnly, e := parseLogDate(v)
		if e != nil {
			return from, to, e
		}
		if dayOnly {
			return day, day.Add(24 * time.Hour), nil
		}
		return day, day.Add(time.Millisecond), nil
	}
	incl := v[0] == '['
	lo, hi, ok := strings.Cut(strings.TrimSpace(v[1:len(v)-1]), " TO ")
	if !ok {
		return from, to, badQuery("The date range %q is not [FROM TO].", v)
	}
	from, to = time.Time{}, time.Unix(1<<40, 0)
	if lo = strings.TrimSpace(lo); lo != "*" {
		t, dayOnly, e := parseLogDate(lo)
		if e != nil {
			return from, to, e
		}
		from = t
		if !incl {
			from = t.Add(time.Millisecond)
			if dayOnly {
				from = t.Add(24 * time.Hour)
			}
		}
	}
	if hi = strings.TrimSpace(hi); hi != "*" {
		t, dayOnly, e := parseLogDate(hi)
		if e != nil {
			return from, to, e
		}
		to = t
		if incl {
			to = t.Add(time.Millisecond)
			if dayOnly {
				to = t.Add(24 * time.Hour)
			}
		}
	}
	return from, to, nil
}

func parseLogDate(s string) (time.Time, bool, *mgmtError) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, true, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, false, nil
	}
	return time.Time{}, false, badQuery("%q is not a date (YYYY-MM-DD) or a timestamp (RFC 3339).", s)
}

// maxLogSearch is how far a search may page: "you may paginate only
// through 1,000 search results" (node-auth0's LogsClient docs, from the
// Management API reference).
const maxLogSearch = 1000

// listLogs is GET /api/v2/logs, by search criteria (q, page, per_page,
// include_totals, sort date:-1 or date:1) or by checkpoint (from, take:
// the entries after a log_id in log_id order, every other parameter
// ignored, with a Link rel="next" header;
// https://auth0.com/docs/deploy-monitor/logs/retrieve-log-events-using-mgmt-api).
func (t *Tenant) listLogs(w http.ResponseWriter, r *http.Request) (any, *mgmtError) {
	q := r.URL.Query()
	if q.Has("from") {
		return t.logsFrom(w, r, q)
	}
	page, perPage, totals, err := pageParams(r)
	if err != nil {
		return nil, err
	}
	if (page+1)*perPage > maxLogSearch {
		return nil, badQuery("You can only page through the first %d records. Refine your search or retrieve the logs by checkpoint (from, take).", maxLogSearch)
	}
	lq, err := parseLogQuery(q.Get("q"))
	if err != nil {
		return nil, err
	}
	desc := true
	switch q.Get("sort") {
	case "", "date:-1":
	case "date:1":
		desc = false
	default:
		return nil, badQuery("The demo tenant sorts the logs by date:-1 or date:1, not %q.", q.Get("sort"))
	}
	t.mu.Lock()
	var found []LogEntry
	for _, e := range t.logs {
		if lq.match(e) {
			found = append(found, e)
		}
	}
	t.mu.Unlock()
	slices.SortStableFunc(found, func(a, b LogEntry) int {
		c := a.Date.Compare(b.Date)
		if c == 0 {
			c = strings.Compare(a.LogID, b.LogID)
		}
		if desc {
			return -c
		}
		return c
	})
	from, to := window(len(found), page, perPage)
	out := append([]LogEntry{}, found[from:to]...)
	if totals {
		return map[string]any{"start": from, "limit": perPage, "length": len(out), "total": len(found), "logs": out}, nil
	}
	return out, nil
}

func (t *Tenant) logsFrom(w http.ResponseWriter, r *http.Request, q url.Values) (any, *mgmtError) {
	take := 50
	if s := q.Get("take"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			return nil, badQuery("Query validation error: take is a number from 1 to 100, not %q.", s)
		}
		take = n
	}
	from := q.Get("from")
	t.mu.Lock()
	out := []LogEntry{}
	for _, e := range t.logs {
		if len(out) < take && (len(e.LogID) > len(from) || len(e.LogID) == len(from) && e.LogID > from) {
			out = append(out, e)
		}
	}
	t.mu.Unlock()
	next := from
	if len(out) > 0 {
		next = out[len(out)-1].LogID
	}
	w.Header().Set("Link", fmt.Sprintf(`<%sapi/v2/logs?from=%s&take=%d>; rel="next"`, t.Issuer(), url.QueryEscape(next), take))
	return out, nil
}

// SeedLegacyHistory gives a fresh tenant a week of legacy calls from its
// demo applications, as the deprecation notices they left on the tenant's
// clock, so that a readiness report has something to show on a fresh
// machine. Every notice falls in an hour before the current one, once per
// feature, client and hour, as Auth0 writes them:
//
//   - demo-native-app called /delegation with a refresh token at 09:07,
//     13:07 and 17:07 UTC on each of the last 7 days (21 notices);
//   - demo-web-app called /tokeninfo at 10:23 on each of the last 5 days
//     and /oauth/ro at 15:41 two and six days ago (7 notices);
//   - demo-backend and the Management application called none.
//
// It returns how many notices it wrote; a second call writes none.
func (t *Tenant) SeedLegacyHistory() int {
	type call struct {
		feature, client, ip, userAgent string
		days                           []int
		hour, minute                   int
	}
	week := []int{7, 6, 5, 4, 3, 2, 1}
	calls := []call{
		{FeatureDelegation, "demo-native-app", "203.0.113.24", "Auth0.Android/1.30.0", week, 9, 7},
		{FeatureDelegation, "demo-native-app", "203.0.113.24", "Auth0.Android/1.30.0", week, 13, 7},
		{FeatureDelegation, "demo-native-app", "203.0.113.24", "Auth0.Android/1.30.0", week, 17, 7},
		{FeatureTokeninfo, "demo-web-app", "198.51.100.10", "node-auth0/2.6.0", []int{5, 4, 3, 2, 1}, 10, 23},
		{FeatureRO, "demo-web-app", "198.51.100.10", "node-auth0/2.6.0", []int{6, 2}, 15, 41},
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.seeded {
		return 0
	}
	t.seeded = true
	now := t.cfg.Now().UTC()
	today := now.Truncate(24 * time.Hour)
	type note struct {
		call
		at time.Time
	}
	var notes []note
	for _, c := range calls {
		for _, d := range c.days {
			at := today.AddDate(0, 0, -d).Add(time.Duration(c.hour)*time.Hour + time.Duration(c.minute)*time.Minute)
			notes = append(notes, note{c, at})
		}
	}
	slices.SortStableFunc(notes, func(a, b note) int { return a.at.Compare(b.at) })
	n := 0
	for _, x := range notes {
		c, ok := t.clients[x.client]
		if !ok || !x.at.Before(now.Truncate(time.Hour)) {
			continue
		}
		if t.depnoteLocked(x.feature, c, x.ip, x.userAgent, x.at) {
			n++
		}
	}
	return n
}
