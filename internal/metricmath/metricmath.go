// Package metricmath evaluates the subset of CloudWatch metric math that the
// cost guard's expressions use, on one datapoint per metric, so tests can
// check an expression string (as built, or as read back from a synthesized
// template) against the cost model.
//
// Supported: decimal numbers, metric ids, unary minus, + - * / and ^
// (exponentiation, right-associative, binding tighter than unary minus),
// parentheses, FILL(id-or-expression, number) and IF(condition, then, else)
// with a condition comparing two expressions (> < >= <= == !=, true as 1).
// A metric without a datapoint is missing; arithmetic on a missing value
// is missing, as in CloudWatch, and FILL replaces it; IF on a missing
// condition is missing.
package metricmath

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Eval evaluates expr with the given datapoints. A metric id absent from
// values is missing. ok is false when the result is missing.
func Eval(expr string, values map[string]float64) (v float64, ok bool, err error) {
	p := &parser{src: expr}
	p.next()
	n, err := p.expr()
	if err != nil {
		return 0, false, err
	}
	if p.tok.kind != tEOF {
		return 0, false, fmt.Errorf("metricmath: unexpected %q at offset %d", p.tok.text, p.tok.pos)
	}
	r := n.eval(values)
	return r.v, r.ok, nil
}

// IDs returns the metric ids expr refers to, in order of first use.
func IDs(expr string) ([]string, error) {
	p := &parser{src: expr}
	var ids []string
	seen := map[string]bool{}
	for p.next(); p.tok.kind != tEOF; p.next() {
		if p.tok.kind == tErr {
			return nil, fmt.Errorf("metricmath: bad character %q at offset %d", p.tok.text, p.tok.pos)
		}
		if p.tok.kind == tIdent && !isFunc(p.tok.text) && !seen[p.tok.text] {
			seen[p.tok.text] = true
			ids = append(ids, p.tok.text)
		}
	}
	return ids, nil
}

func isFunc(name string) bool { return name == "FILL" || name == "IF" }

type kind int

const (
	tEOF kind = iota
	tNum
	tIdent
	tOp
	tErr
)

type token struct {
	kind kind
	text string
	pos  int
}

type parser struct {
	src string
	off int
	tok token
}

func (p *parser) next() {
	for p.off < len(p.src) && p.src[p.off] == ' ' {
		p.off++
	}
	start := p.off
	if p.off >= len(p.src) {
		p.tok = token{kind: tEOF, pos: start}
		return
	}
	c := rune(p.src[p.off])
	switch {
	case unicode.IsDigit(c) || c == '.':
		for p.off < len(p.src) && (unicode.IsDigit(rune(p.src[p.off])) || p.src[p.off] == '.') {
			p.off++
		}
		p.tok = token{kind: tNum, text: p.src[start:p.off], pos: start}
	case unicode.IsLetter(c):
		for p.off < len(p.src) && (unicode.IsLetter(rune(p.src[p.off])) || unicode.IsDigit(rune(p.src[p.off])) || p.src[p.off] == '_') {
			p.off++
		}
		p.tok = token{kind: tIdent, text: p.src[start:p.off], pos: start}
	case strings.ContainsRune("<>=!", c) && p.off+1 < len(p.src) && p.src[p.off+1] == '=':
		p.off += 2
		p.tok = token{kind: tOp, text: p.src[start:p.off], pos: start}
	case strings.ContainsRune("+-*/^(),<>", c):
		p.off++
		p.tok = token{kind: tOp, text: string(c), pos: start}
	default:
		p.off++
		p.tok = token{kind: tErr, text: string(c), pos: start}
	}
}

type value struct {
	v  float64
	ok bool
}

type node interface {
	eval(map[string]float64) value
}

type numNode float64

func (n numNode) eval(map[string]float64) value { return value{float64(n), true} }

type idNode string

func (n idNode) eval(vals map[string]float64) value {
	v, ok := vals[string(n)]
	return value{v, ok}
}

type binNode struct {
	op   byte
	l, r node
}

func (n binNode) eval(vals map[string]float64) value {
	l, r := n.l.eval(vals), n.r.eval(vals)
	if !l.ok || !r.ok {
		return value{}
	}
	switch n.op {
	case '+':
		return value{l.v + r.v, true}
	case '-':
		return value{l.v - r.v, true}
	case '*':
		return value{l.v * r.v, true}
	case '^':
		return value{math.Pow(l.v, r.v), true}
	default:
		if r.v == 0 {
			return value{} // CloudWatch drops a datapoint divided by zero
		}
		return value{l.v / r.v, true}
	}
}

type cmpNode struct {
	op   string
	l, r node
}

func (n cmpNode) eval(vals map[string]float64) value {
	l, r := n.l.eval(vals), n.r.eval(vals)
	if !l.ok || !r.ok {
		return value{}
	}
	t := map[string]bool{">": l.v > r.v, "<": l.v < r.v, ">=": l.v >= r.v, "<=": l.v <= r.v, "==": l.v == r.v, "!=": l.v != r.v}[n.op]
	if t {
		return value{1, true}
	}
	return value{0, true}
}

type ifNode struct{ cond, then, els node }

func (n ifNode) eval(vals map[string]float64) value {
	c := n.cond.eval(vals)
	if !c.ok {
		return value{}
	}
	if c.v != 0 {
		return n.then.eval(vals)
	}
	return n.els.eval(vals)
}

type negNode struct{ x node }

func (n negNode) eval(vals map[string]float64) value {
	x := n.x.eval(vals)
	return value{-x.v, x.ok}
}

type fillNode struct {
	x    node
	fill float64
}

func (n fillNode) eval(vals map[string]float64) value {
	if x := n.x.eval(vals); x.ok {
		return x
	}
	return value{n.fill, true}
}

// expr := term { (+|-) term }
func (p *parser) expr() (node, error) {
	l, err := p.term()
	if err != nil {
		return nil, err
	}
	for p.tok.kind == tOp && (p.tok.text == "+" || p.tok.text == "-") {
		op := p.tok.text[0]
		p.next()
		r, err := p.term()
		if err != nil {
			return nil, err
		}
		l = binNode{op, l, r}
	}
	return l, nil
}

// term := unary { (*|/) unary }
func (p *parser) term() (node, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.tok.kind == tOp && (p.tok.text == "*" || p.tok.text == "/") {
		op := p.tok.text[0]
		p.next()
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = binNode{op, l, r}
	}
	return l, nil
}

// unary := - unary | power
func (p *parser) unary() (node, error) {
	if p.tok.kind == tOp && p.tok.text == "-" {
		p.next()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return negNode{x}, nil
	}
	return p.power()
}

// power := primary [ ^ unary ]
func (p *parser) power() (node, error) {
	l, err := p.primary()
	if err != nil {
		return nil, err
	}
	if p.tok.kind == tOp && p.tok.text == "^" {
		p.next()
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		return binNode{'^', l, r}, nil
	}
	return l, nil
}

// comparison := expr [ (> | < | >= | <= | == | !=) expr ]
func (p *parser) comparison() (node, error) {
	l, err := p.expr()
	if err != nil {
		return nil, err
	}
	switch op := p.tok.text; {
	case p.tok.kind == tOp && (op == ">" || op == "<" || op == ">=" || op == "<=" || op == "==" || op == "!="):
		p.next()
		r, err := p.expr()
		if err != nil {
			return nil, err
		}
		return cmpNode{op, l, r}, nil
	}
	return l, nil
}

// primary := number | id | FILL ( expr , number ) | IF ( comparison , expr , expr ) | ( expr )
func (p *parser) primary() (node, error) {
	t := p.tok
	switch {
	case t.kind == tIdent && t.text == "IF":
		p.next()
		var args [3]node
		for i := range args {
			if err := p.expect(map[bool]string{true: "(", false: ","}[i == 0]); err != nil {
				return nil, err
			}
			parse := p.expr
			if i == 0 {
				parse = p.comparison
			}
			x, err := parse()
			if err != nil {
				return nil, err
			}
			args[i] = x
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return ifNode{args[0], args[1], args[2]}, nil
	case t.kind == tNum:
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, fmt.Errorf("metricmath: bad number %q at offset %d", t.text, t.pos)
		}
		p.next()
		return numNode(f), nil
	case t.kind == tIdent && t.text == "FILL":
		p.next()
		if err := p.expect("("); err != nil {
			return nil, err
		}
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.expect(","); err != nil {
			return nil, err
		}
		neg := false
		if p.tok.kind == tOp && p.tok.text == "-" {
			neg = true
			p.next()
		}
		if p.tok.kind != tNum {
			return nil, fmt.Errorf("metricmath: FILL wants a number at offset %d, got %q", p.tok.pos, p.tok.text)
		}
		f, err := strconv.ParseFloat(p.tok.text, 64)
		if err != nil {
			return nil, fmt.Errorf("metricmath: bad number %q at offset %d", p.tok.text, p.tok.pos)
		}
		if neg {
			f = -f
		}
		p.next()
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return fillNode{x, f}, nil
	case t.kind == tIdent:
		if len(t.text) == 0 || !unicode.IsLower(rune(t.text[0])) {
			return nil, fmt.Errorf("metricmath: %q at offset %d is not a metric id (ids start with a lower-case letter) nor a supported function", t.text, t.pos)
		}
		p.next()
		return idNode(t.text), nil
	case t.kind == tOp && t.text == "(":
		p.next()
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return x, nil
	case t.kind == tEOF:
		return nil, fmt.Errorf("metricmath: unexpected end of expression")
	}
	return nil, fmt.Errorf("metricmath: unexpected %q at offset %d", t.text, t.pos)
}

func (p *parser) expect(s string) error {
	if p.tok.kind != tOp || p.tok.text != s {
		if p.tok.kind == tEOF {
			return fmt.Errorf("metricmath: want %q, got end of expression", s)
		}
		return fmt.Errorf("metricmath: want %q at offset %d, got %q", s, p.tok.pos, p.tok.text)
	}
	p.next()
	return nil
}
