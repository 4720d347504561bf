package tokens

import (
	"context"
	"testing"
	"time"

	"github.com/tokenscope/tokenscope/internal/finding"
)

// RFC 7515 Appendix A: the worked examples, verified with a pinned clock
// (their exp, 1300819380, is 2011-03-22T18:43:00Z).
var rfcNow = time.Date(2011, 3, 22, 18, 0, 0, 0, time.UTC)

const (
	rfcA1    = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	rfcA1Key = `{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}`
	rfcA2    = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"
	rfcA2Key = `{"kty":"RSA","e":"AQAB","n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"}`
	rfcA3    = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
	rfcA3Key = `{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}`
	rfcA4    = "eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA.AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_7XdtAG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn"
	rfcA4Key = `{"kty":"EC","crv":"P-521","x":"AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk","y":"ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2"}`
	rfcA5    = "eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
)

func mustKeys(t testing.TB, s string) StaticKeys {
	t.Helper()
	k, err := ParseKeys([]byte(s))
	if err != nil {
		t.Fatalf("ParseKeys: %v", err)
	}
	return StaticKeys(k)
}

func TestRFC7515AppendixExamplesVerifyWithTheirKeys(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, token, key string
		wantValid        bool
		wantSignature    Status
	}{
		{"A.1 HS256", rfcA1, rfcA1Key, true, Pass},
		{"A.2 RS256", rfcA2, rfcA2Key, true, Pass},
		{"A.3 ES256", rfcA3, rfcA3Key, true, Pass},
		{"A.4 ES512", rfcA4, rfcA4Key, true, Pass},
		{"A.5 alg none is rejected", rfcA5, rfcA1Key, false, Fail},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok, err := Decode(c.token, rfcNow)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			r := Verify(context.Background(), tok, Options{Keys: mustKeys(t, c.key), Now: rfcNow, Leeway: DefaultLeeway})
			sig, _ := r.Check("signature")
			if r.Valid != c.wantValid || sig.Status != c.wantSignature {
				t.Fatalf("valid=%v signature=%v (%s); want valid=%v signature=%v", r.Valid, sig.Status, sig.Detail, c.wantValid, c.wantSignature)
			}
		})
	}
}

func TestRFC7515ExampleIsExpiredAfterItsExpPlusLeeway(t *testing.T) {
	t.Parallel()
	tok, err := Decode(rfcA2, rfcNow)
	if err != nil {
		t.Fatal(err)
	}
	later := time.Unix(1300819380, 0).Add(61 * time.Second)
	r := Verify(context.Background(), tok, Options{Keys: mustKeys(t, rfcA2Key), Now: later, Leeway: 60 * time.Second})
	exp, _ := r.Check("exp")
	if r.Valid || exp.Status != Fail {
		t.Fatalf("a token 61s past exp with 60s leeway: valid=%v exp=%+v", r.Valid, exp)
	}
	within := time.Unix(1300819380, 0).Add(59 * time.Second)
	r = Verify(context.Background(), tok, Options{Keys: mustKeys(t, rfcA2Key), Now: within, Leeway: 60 * time.Second})
	if exp, _ := r.Check("exp"); !r.Valid || exp.Status != Pass {
		t.Fatalf("a token 59s past exp with 60s leeway should pass: %+v", exp)
	}
}

func TestAlgNoneIsDecodedButFlagged(t *testing.T) {
	t.Parallel()
	tok, err := Decode(rfcA5, rfcNow)
	if err != nil {
		t.Fatalf("an unsigned token must still decode: %v", err)
	}
	if !hasFinding(tok, CodeAlgNone, finding.SeverityError) {
		t.Fatalf("want an alg_none error finding, got %+v", tok.Findings)
	}
	if iss, _ := tok.ClaimString("iss"); iss != "joe" {
		t.Fatalf("iss = %q, want joe", iss)
	}
}

func hasFinding(tok *Token, code string, sev finding.Severity) bool {
	for _, f := range tok.Findings {
		if f.Code == code && f.Severity == sev {
			return true
		}
	}
	return false
}
