package web

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// TextRule says which characters a string from a client may hold. Request
// fields choose theirs with the struct tag `text:"multiline"` or
// `text:"secret"`; untagged fields are SingleLine. The tag applies to every
// string inside the field (both languages of a localised text, every item of
// a list).
type TextRule uint8

const (
	// SingleLine text (names, e-mails, ids, filters) holds no control,
	// bidirectional-formatting or invalid characters at all.
	SingleLine TextRule = iota
	// MultiLine free text (descriptions, review text, notes) may also hold
	// newlines and tabs.
	MultiLine
	// Secret text (passwords) is hashed and never shown, so only NUL is
	// refused: it cannot be stored and some hashers cut at it.
	Secret
)

// textTag is the struct tag that sets a field's TextRule.
const textTag = "text"

// TextProblem says why s may not be stored under rule, or returns "" when
// it may. NUL and invalid UTF-8 break PostgreSQL text columns; control
// characters garble logs and screens; bidirectional overrides make a public
// name read as something else ("Budi (Dinas Pariwisata)" shown reversed).
func TextProblem(s string, rule TextRule) string {
	if rule == Secret {
		if strings.IndexByte(s, 0) >= 0 {
			return "must not contain the NUL character"
		}
		return ""
	}
	for i, r := range s {
		switch {
		case r == utf8.RuneError && isInvalidAt(s, i):
			return "must be valid UTF-8 text"
		case r == 0:
			return "must not contain the NUL character"
		case r == '\n' || r == '\t':
			if rule != MultiLine {
				return "must be a single line without line breaks or tabs"
			}
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			return "must not contain control characters"
		case isBidiControl(r):
			return "must not contain bidirectional formatting characters"
		}
	}
	return ""
}

func isInvalidAt(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size <= 1 // U+FFFD written out takes three bytes and is fine
}

// isBidiControl reports the invisible characters that reorder text: the
// embeddings and overrides, the isolates and the directional marks.
func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) ||
		r == 0x200e || r == 0x200f || r == 0x061c
}

// textProblems walks a decoded request body and reports every string that
// breaks its field's rule under the field's JSON path (name.en,
// items[2].note). Map keys are checked too.
func textProblems(v any) map[string]string {
	out := map[string]string{}
	walkText(reflect.ValueOf(v), "", SingleLine, false, out)
	return out
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// decodesItself reports types with their own JSON decoding: their Go fields
// are not JSON fields, so problems inside are reported at the value's path.
func decodesItself(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return pt.Implements(jsonUnmarshaler) || pt.Implements(textUnmarshaler)
}

func walkText(v reflect.Value, path string, rule TextRule, opaque bool, out map[string]string) {
	if !v.IsValid() {
		return
	}
	if !opaque && v.Kind() != reflect.Pointer && v.Kind() != reflect.Interface && decodesItself(v.Type()) {
		opaque = true
	}
	switch v.Kind() {
	case reflect.String:
		if p := TextProblem(v.String(), rule); p != "" {
			addProblem(out, path, p)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkText(v.Elem(), path, rule, opaque, out)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() && !f.Anonymous {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			fieldRule := rule
			switch f.Tag.Get(textTag) {
			case "multiline":
				fieldRule = MultiLine
			case "secret":
				fieldRule = Secret
			}
			fieldPath := path
			switch {
			case opaque:
			case f.Anonymous && name == "":
				// embedded fields are inlined into the parent object
			case name == "":
				fieldPath = joinPath(path, f.Name)
			default:
				fieldPath = joinPath(path, name)
			}
			walkText(v.Field(i), fieldPath, fieldRule, opaque, out)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			k := iter.Key()
			if k.Kind() == reflect.String {
				if p := TextProblem(k.String(), SingleLine); p != "" {
					addProblem(out, path, "has a key that "+p)
					continue
				}
			}
			elemPath := path
			if !opaque {
				elemPath = joinPath(path, keyString(k))
			}
			walkText(iter.Value(), elemPath, rule, opaque, out)
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // bytes (base64 in JSON), not text
		}
		for i := range v.Len() {
			elemPath := path
			if !opaque {
				elemPath = path + "[" + strconv.Itoa(i) + "]"
			}
			walkText(v.Index(i), elemPath, rule, opaque, out)
		}
	}
}

func keyString(k reflect.Value) string {
	if k.Kind() == reflect.String {
		return k.String()
	}
	return fmt.Sprint(k)
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func addProblem(out map[string]string, path, problem string) {
	if path == "" {
		path = "body"
	}
	if _, seen := out[path]; !seen {
		out[path] = problem
	}
}
