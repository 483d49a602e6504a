package storage

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxFilenameBytes bounds a stored document name, extension included.
const MaxFilenameBytes = 100

// SafeFilename turns a client's file name into one safe to store and to send
// back in Content-Disposition. It keeps the base name only (after the last
// / or \, so no directories and no ".."), normalises it to NFC, keeps
// letters, digits, combining marks, spaces and - _ . , ( ) [ ] + & only
// (so no control or bidirectional-override characters, quotes, or
// characters Windows refuses), collapses runs of dots and spaces, trims dots
// and spaces from both ends, cuts it to MaxFilenameBytes on a character
// boundary, and ends it with f's extension: the detected format's, never
// the client's. A name left empty becomes "document."+f.Ext; one that is a
// Windows device name (CON, NUL, COM1, …) gets a trailing underscore.
func SafeFilename(name string, f Format) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = norm.NFC.String(strings.ToValidUTF8(name, ""))
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
		case unicode.IsSpace(r):
			r = ' '
		case strings.ContainsRune("-_.,()[]+&", r):
		default:
			continue
		}
		last, _ := utf8.DecodeLastRuneInString(b.String())
		if (r == '.' || r == ' ') && last == r {
			continue
		}
		b.WriteRune(r)
	}
	stem := b.String()
	// The client's extension goes: the stored one is the detected format's.
	if i := strings.LastIndexByte(stem, '.'); i >= 0 {
		stem = stem[:i]
	}
	stem = strings.Trim(stem, ". ")
	if limit := MaxFilenameBytes - 1 - len(f.Ext); len(stem) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(stem[cut]) {
			cut--
		}
		stem = strings.TrimRight(stem[:cut], ". ")
	}
	if stem == "" {
		stem = "document"
	}
	if windowsDevice(stem) {
		stem += "_"
	}
	return stem + "." + f.Ext
}

// windowsDevice reports whether stem is a name Windows reserves for a
// device, whatever the extension: saving "NUL.pdf" there fails.
func windowsDevice(stem string) bool {
	s := strings.ToUpper(strings.TrimSpace(stem))
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s = s[:i]
	}
	switch s {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	if len(s) == 4 && (strings.HasPrefix(s, "COM") || strings.HasPrefix(s, "LPT")) && s[3] >= '1' && s[3] <= '9' {
		return true
	}
	return false
}
