// Package finding is the one shape of an observation that the token
// inspector and the migration assistant report: a severity, a stable code
// (part of each --json contract) and a sentence for the user.
package finding

// Severity ranks a finding.
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Finding is one thing the user should know.
type Finding struct {
	Severity Severity `json:"severity"`
	Code     string   `json:"code"`
	Message  string   `json:"message"`
}
