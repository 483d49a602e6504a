package permit

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/solodestination/api/pkg/civil"
)

// Default length limits of string and text fields without a max.
const (
	defaultStringMax = 200
	defaultTextMax   = 4000
	maxDataFields    = 50
)

// checkData validates data against the type's fields and rules as of today
// (Asia/Jakarta) and returns its normalised form (strings trimmed) and one
// problem per field, keyed "data.<name>". A key the type does not know is
// a problem too: the data is what the licensing office reads, and a typo in
// a field name must not silently drop a value.
func checkData(t Type, data map[string]any, today civil.Date) (map[string]any, map[string]string) {
	p := map[string]string{}
	out := make(map[string]any, len(data))
	if len(data) > maxDataFields {
		p["data"] = fmt.Sprintf("has at most %d fields", maxDataFields)
		return nil, p
	}
	for k := range data {
		if _, ok := t.field(k); !ok {
			p["data."+k] = "is not a field of this permit type"
		}
	}
	for _, f := range t.Fields {
		key := "data." + f.Name
		v, present := data[f.Name]
		if s, ok := v.(string); ok {
			v = strings.TrimSpace(s)
			if v == "" {
				present = false
			}
		}
		if !present || v == nil {
			if f.Required {
				p[key] = "is required"
			}
			continue
		}
		norm, msg := checkValue(f, v)
		if msg != "" {
			p[key] = msg
			continue
		}
		out[f.Name] = norm
	}
	if t.LeadTime != nil {
		checkLeadTime(*t.LeadTime, out, today, p)
	}
	return out, p
}

func checkValue(f Field, v any) (any, string) {
	switch f.Type {
	case FieldString, FieldText:
		s, ok := v.(string)
		if !ok {
			return nil, "must be a string"
		}
		n := utf8.RuneCountInString(s)
		limit := defaultStringMax
		if f.Type == FieldText {
			limit = defaultTextMax
		}
		if f.Max != nil {
			limit = int(*f.Max)
		}
		if f.Min != nil && n < int(*f.Min) {
			return nil, fmt.Sprintf("is at least %d characters", int(*f.Min))
		}
		if n > limit {
			return nil, fmt.Sprintf("is at most %d characters", limit)
		}
		return s, ""
	case FieldNumber:
		x, ok := v.(float64)
		if !ok || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, "must be a number"
		}
		if f.Min != nil && x < *f.Min {
			return nil, "must be at least " + formatNumber(*f.Min)
		}
		if f.Max != nil && x > *f.Max {
			return nil, "must be at most " + formatNumber(*f.Max)
		}
		return x, ""
	case FieldDate:
		s, ok := v.(string)
		if !ok {
			return nil, "must be a date YYYY-MM-DD"
		}
		d, err := civil.Parse(s)
		if err != nil {
			return nil, "must be a date YYYY-MM-DD"
		}
		return d.String(), ""
	case FieldBoolean:
		b, ok := v.(bool)
		if !ok {
			return nil, "must be true or false"
		}
		return b, ""
	case FieldSelect:
		s, ok := v.(string)
		if !ok {
			return nil, "must be one of: " + strings.Join(f.Options, ", ")
		}
		if !slices.Contains(f.Options, s) {
			return nil, "must be one of: " + strings.Join(f.Options, ", ")
		}
		return s, ""
	}
	return nil, "has an unknown field type"
}

func formatNumber(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// checkLeadTime applies a lead-time rule to checked data: nothing to say
// when either field is absent or already wrong.
func checkLeadTime(r LeadTime, data map[string]any, today civil.Date, p map[string]string) {
	key, _ := data[r.Field].(string)
	raw, _ := data[r.DateField].(string)
	days, ok := r.Days[key]
	if !ok || raw == "" {
		return
	}
	d, err := civil.Parse(raw)
	if err != nil {
		return
	}
	if earliest := today.AddDays(days); d.Before(earliest) {
		p["data."+r.DateField] = fmt.Sprintf("must be at least %d days after today for %s %s (on or after %s)",
			days, r.Field, key, earliest)
	}
}
