package ui

import "regexp"

// windowWords puts the window's words (its fields and buttons) where a
// message from the shared core names a command-line flag: the window must
// not send people to flags they cannot type anywhere. The command line
// keeps the messages as they are.
func windowWords(msg string) string {
	for _, r := range flagWords {
		msg = r.re.ReplaceAllString(msg, r.with)
	}
	return msg
}

var flagWords = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\(--issuer \S+, or the Issuer field\)`), "(type it in the Issuer field)"},
	{regexp.MustCompile(`Choose another with --auth\.`), "Choose another in Client auth."},
	{regexp.MustCompile(`Choose post or basic with --auth`), "Choose post or basic in Client auth"},
	{regexp.MustCompile(`\(give it with --audience, or the Audience field,`), "(give it in the Audience field,"},
	{regexp.MustCompile(`give --audience or set it on the profile`), "type it in Audience or set it on the profile"},
	{regexp.MustCompile(` \(or wait longer with --wait\)`), ""},
	{regexp.MustCompile(` or with 'tokenscope profile add [^']*'`), ""},
	{regexp.MustCompile(`\(replace it with --replace, or choose another name\)`), "(choose another name)"},
	{regexp.MustCompile(`through the device grant \(--device\)`), "with a code (Sign in with a code…)"},
	// What is left: a flag named in passing.
	{regexp.MustCompile(`--issuer\b`), "the Issuer field"},
	{regexp.MustCompile(`--audience\b`), "the Audience field"},
	{regexp.MustCompile(`--auth\b`), "Client auth"},
}
