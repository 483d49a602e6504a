// Package kind names the three kinds of catalog listing and maps them to the
// words clients use: the plural path segment and the singular search type.
package kind

// Kind is a kind of listing; its value is the singular word stored in the
// database and returned as a search result's "type".
type Kind string

const (
	Attraction Kind = "attraction"
	Culinary   Kind = "culinary"
	Event      Kind = "event"
)

// All lists the kinds in display order.
var All = []Kind{Attraction, Culinary, Event}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == Attraction || k == Culinary || k == Event }

// Plural is the path segment of k: attractions, culinary, events.
func (k Kind) Plural() string {
	switch k {
	case Attraction:
		return "attractions"
	case Event:
		return "events"
	default:
		return "culinary"
	}
}

// FromPlural parses a path segment such as "attractions".
func FromPlural(s string) (Kind, bool) {
	for _, k := range All {
		if k.Plural() == s {
			return k, true
		}
	}
	return "", false
}

// FromSingular parses a search type such as "attraction".
func FromSingular(s string) (Kind, bool) {
	k := Kind(s)
	return k, k.Valid()
}
