package workspace

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tokenscope/tokenscope/internal/demotenant"
)

// RehearseOnDemo runs the rotation rehearsal on a fresh demo tenant with
// these refresh-token settings, on a clock of its own, and stops the
// tenant after.
func (w *Workspace) RehearseOnDemo(ctx context.Context, s DemoSettings, retry time.Duration) (RehearsalReport, error) {
	if err := s.Validate(); err != nil {
		return RehearsalReport{}, err
	}
	cfg := s.config()
	clock := demotenant.NewClock(time.Now())
	cfg.Now = clock.Now
	ten, err := demotenant.New(cfg)
	if err != nil {
		return RehearsalReport{}, err
	}
	srv, err := demotenant.Start(ten, "", false)
	if err != nil {
		return RehearsalReport{}, fmt.Errorf("starting the demo tenant: %w", err)
	}
	defer srv.Close()
	return w.Rehearse(ctx, Rehearsal{Server: srv, Clock: clock, RetryDelay: retry})
}

// Describe is a step's request and answer in one line, for people.
func (st Step) Describe() string {
	if st.Kind == StepWait || st.Sent == nil {
		return st.Note
	}
	b := fmt.Sprintf("sends %s %s: ", st.Sent.Label, st.Sent.Fingerprint)
	switch {
	case st.Status == 200 && st.Issued != nil:
		b += fmt.Sprintf("200, new %s %s", st.Issued.Label, st.Issued.Fingerprint)
	case st.Status == 200:
		b += "200, the same refresh token stays"
	default:
		b += fmt.Sprintf("%d %s (%s)", st.Status, st.Error, st.ErrorDescription)
	}
	if st.AnswerLost {
		b += ", but the answer is lost (client timeout)"
	}
	return b
}

// Describe is the family after a step: its state and each token's.
func (f FamilySnapshot) Describe() string {
	parts := make([]string, 0, len(f.Tokens))
	for _, t := range f.Tokens {
		parts = append(parts, t.Label+" "+t.State)
	}
	return "family " + f.State + " (" + strings.Join(parts, ", ") + ")"
}
