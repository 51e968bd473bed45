package tabular

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// scanner reads one JSON value byte by byte. It validates what it
// consumes with the grammar of RFC 8259 and never recurses.
type scanner struct {
	b []byte
	i int
}

func (p *scanner) peek() byte {
	if p.i < len(p.b) {
		return p.b[p.i]
	}
	return 0
}

func (p *scanner) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// kind names the JSON value starting at p.i, for messages ("" if none).
func (p *scanner) kind() string {
	switch c := p.peek(); {
	case c == '"':
		return "a string"
	case c == '[':
		return "an array"
	case c == '{':
		return "an object"
	case c == '-' || (c >= '0' && c <= '9'):
		return "a number"
	case hasWord(p.b[p.i:], "null"):
		return "null"
	case hasWord(p.b[p.i:], "true"), hasWord(p.b[p.i:], "false"):
		return "a boolean"
	}
	return ""
}

func hasWord(b []byte, w string) bool {
	return len(b) >= len(w) && string(b[:len(w)]) == w
}

func (p *scanner) syntax(want string) error {
	if p.i >= len(p.b) {
		return rowErr("", "invalid JSON: the row ends early, want %s", want)
	}
	c := p.b[p.i]
	got := strconv.QuoteRune(rune(c))
	if c >= utf8.RuneSelf {
		got = "a non-ASCII byte"
	}
	return rowErr("", "invalid JSON at byte %d: got %s, want %s", p.i, got, want)
}

// number reads a JSON number that fits float32. A value that is not a
// number, or out of range, gives a problem text for the caller to put
// after the field's name; broken JSON gives err.
func (p *scanner) number() (v float32, problem string, err error) {
	start := p.i
	if c := p.peek(); c != '-' && (c < '0' || c > '9') {
		if k := p.kind(); k != "" {
			if k == "a string" {
				if s, _, err := p.str(); err == nil {
					return 0, "got the string " + shorten(s) + ", want a number", nil
				}
			}
			return 0, "got " + k + ", want a number", nil
		}
		return 0, "", p.syntax("a number")
	}
	if p.peek() == '-' {
		p.i++
	}
	switch c := p.peek(); {
	case c == '0':
		p.i++
	case c >= '1' && c <= '9':
		p.digits()
	default:
		return 0, "", p.syntax("a digit")
	}
	if p.peek() == '.' {
		p.i++
		if c := p.peek(); c < '0' || c > '9' {
			return 0, "", p.syntax("a digit after the decimal point")
		}
		p.digits()
	}
	if c := p.peek(); c == 'e' || c == 'E' {
		p.i++
		if c := p.peek(); c == '+' || c == '-' {
			p.i++
		}
		if c := p.peek(); c < '0' || c > '9' {
			return 0, "", p.syntax("a digit in the exponent")
		}
		p.digits()
	}
	text := p.b[start:p.i]
	// The grammar is checked above, so the only possible error is range;
	// an underflow to zero is a fine float32.
	f, _ := strconv.ParseFloat(string(text), 64)
	if v = float32(f); math.IsInf(float64(v), 0) {
		return 0, shorten(text) + " is beyond float32 range (±3.4e38)", nil
	}
	return v, "", nil
}

func (p *scanner) digits() {
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		p.i++
	}
}

// str reads a JSON string and returns it with its quotes, and whether it
// holds escapes. It checks escapes and control characters; invalid UTF-8
// is left for the caller (it matches no feature name).
func (p *scanner) str() (tok []byte, escaped bool, err error) {
	start := p.i
	p.i++ // "
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			return p.b[start:p.i], escaped, nil
		case c == '\\':
			escaped = true
			p.i++
			switch p.peek() {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.i++
			case 'u':
				p.i++
				for range 4 {
					if !isHex(p.peek()) {
						return nil, false, p.syntax("4 hex digits after \\u")
					}
					p.i++
				}
			default:
				return nil, false, p.syntax("a valid escape")
			}
		case c < 0x20:
			return nil, false, p.syntax("no control characters in strings")
		default:
			p.i++
		}
	}
	return nil, false, p.syntax(`a closing '"'`)
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// shorten cuts a token quoted in an error message to 40 bytes.
func shorten(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}
