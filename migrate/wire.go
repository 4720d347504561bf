package migrate

import "github.com/tokenscope/tokenscope/internal/oauth"

// wire is ps as the core's parameter list.
func (ps Params) wire() []oauth.Param {
	out := make([]oauth.Param, len(ps))
	for i, p := range ps {
		out[i] = oauth.Param{Name: p.Name, Value: p.Value}
	}
	return out
}

// Wire is the new request as it is sent (POST, its literal secrets): JSON
// stays JSON, form stays form, and basic sends the client ID and secret as
// they are in Authorization: Basic.
func (r *Request) Wire() oauth.WireRequest {
	w := oauth.WireRequest{URL: r.URL, JSON: r.Encoding != EncodingForm, Params: r.Body.wire(), ClientID: r.ClientID, Auth: r.Auth}
	if r.Auth == oauth.AuthBasic {
		w.BasicUser, w.BasicPassword = r.ClientID, r.ClientSecret
	}
	return w
}

// Wire is the legacy call as it is sent again (POST): its body in its own
// encoding (JSON unless it was a form) and its Basic credentials. Auth is
// read from it: basic with Basic credentials, post with a client_secret in
// the body, none without either.
func (l *Legacy) Wire() oauth.WireRequest {
	w := oauth.WireRequest{URL: l.URL, JSON: l.Encoding != EncodingForm, Params: l.Params.wire(),
		BasicUser: l.BasicUser, BasicPassword: l.BasicPassword, Auth: oauth.AuthNone}
	w.ClientID, _ = l.Params.Get("client_id")
	switch _, secret := l.Params.Get("client_secret"); {
	case l.BasicUser != "":
		w.Auth = oauth.AuthBasic
		if w.ClientID == "" {
			w.ClientID = l.BasicUser
		}
	case secret:
		w.Auth = oauth.AuthPost
	}
	return w
}
