package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/tokenscope/tokenscope/internal/tokens"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

func runVerify(env Env, fs *pflag.FlagSet) func(pos []string) int {
	var (
		issuer    = fs.String("issuer", "", "expected issuer; its discovery document gives the JWKS unless another key is given")
		jwks      = fs.String("jwks", "", "JWKS file or https URL")
		keyFile   = fs.String("key", "", "file with a JWK, JWKS or PEM public key or certificate")
		secretEnv = fs.String("secret-env", "", "name of the environment variable holding an HMAC secret")
		audience  = fs.String("audience", "", "expected audience (a value in aud)")
		clientID  = fs.String("client-id", "", "expected authorized party (azp)")
		nonce     = fs.String("nonce", "", "expected nonce")
		atEnv     = fs.String("access-token-env", "", "name of the environment variable holding the access token issued with this ID token (checks at_hash)")
		leeway    = fs.Duration("leeway", tokens.DefaultLeeway, "clock skew allowed on exp, nbf and iat")
		nowFlag   = fs.String("now", "", "check times as of this RFC 3339 instant instead of the clock")
		asJSON    = fs.Bool("json", false, "print the documented JSON object instead of text")
	)
	return func(pos []string) int {
		var err error
		now := env.Now()
		if *nowFlag != "" {
			if now, err = time.Parse(time.RFC3339, *nowFlag); err != nil {
				return fail(env, "verify", ExitUsage, "--now %q is not an RFC 3339 time such as 2026-01-02T15:04:05Z", *nowFlag)
			}
		}
		if *leeway < 0 {
			return fail(env, "verify", ExitUsage, "--leeway must not be negative")
		}
		in, err := readInput(env, pos, "token")
		if err != nil {
			return fail(env, "verify", ExitUsage, "%v", err)
		}
		tok, err := tokens.Decode(in, now)
		if err != nil {
			return fail(env, "verify", ExitUsage, "%v", err)
		}
		if tok.Kind != tokens.KindJWS {
			return fail(env, "verify", ExitNegative, "the token is %s, not a signed JWT: there is no signature to verify", kindNames[tok.Kind])
		}
		opts := tokens.Options{Now: now, Leeway: *leeway, Issuer: *issuer, Audience: *audience, ClientID: *clientID, Nonce: *nonce}
		if *atEnv != "" {
			if opts.AccessToken = env.Getenv(*atEnv); opts.AccessToken == "" {
				return fail(env, "verify", ExitUsage, "--access-token-env names %s, which is empty or unset", *atEnv)
			}
		}
		spec, err := keySpec(env, *issuer, *jwks, *keyFile, *secretEnv)
		if err != nil {
			return fail(env, "verify", ExitUsage, "%v", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), workspace.DefaultTimeout)
		defer cancel()
		report, err := env.workspace().Verify(ctx, tok, spec, opts)
		if err != nil {
			return fail(env, "verify", ExitUsage, "%v", err)
		}
		if *asJSON {
			enc := json.NewEncoder(env.Stdout)
			enc.SetIndent("", "  ")
			_ = enc.Encode(report)
		} else {
			printReport(env.Stdout, report)
		}
		if !report.Valid {
			return ExitNegative
		}
		return ExitOK
	}
}

// keySpec reads the key flags: --secret-env's variable, --key's file or
// --jwks (a URL, or a file). The precedence and the fetching are
// workspace.Keys's.
func keySpec(env Env, issuer, jwks, keyFile, secretEnv string) (workspace.KeySpec, error) {
	given := 0
	for _, s := range []string{jwks, keyFile, secretEnv} {
		if s != "" {
			given++
		}
	}
	if given > 1 {
		return workspace.KeySpec{}, errors.New("give only one of --jwks, --key and --secret-env")
	}
	spec := workspace.KeySpec{Issuer: issuer}
	var err error
	switch {
	case secretEnv != "":
		if spec.Secret = []byte(env.Getenv(secretEnv)); len(spec.Secret) == 0 {
			return spec, fmt.Errorf("--secret-env names %s, which is empty or unset", secretEnv)
		}
	case keyFile != "":
		spec.Key, err = readFile(keyFile)
		spec.KeyFrom = keyFile
	case strings.HasPrefix(jwks, "https://") || strings.HasPrefix(jwks, "http://"):
		spec.JWKS = jwks
	case jwks != "":
		spec.Key, err = readFile(jwks)
		spec.KeyFrom = jwks
	}
	return spec, err
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s does not exist", path)
		}
		return nil, fmt.Errorf("cannot open %s: %w", path, err)
	}
	defer f.Close()
	return readCapped(f, path)
}

var statusMarks = map[tokens.Status]string{tokens.Pass: "ok  ", tokens.Fail: "FAIL", tokens.Skip: "--  "}

func printReport(w io.Writer, r tokens.Report) {
	for _, c := range r.Checks {
		say(w, "%s %-9s %s\n", statusMarks[c.Status], c.Name, c.Detail)
	}
	_, sentence := workspace.Verdict(r)
	fmt.Fprintln(w, "\n"+sentence)
}
