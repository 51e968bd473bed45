package assembly

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Resource is one resource of a CloudFormation template.
type Resource struct {
	Type       string         `json:"Type"`
	Properties map[string]any `json:"Properties,omitempty"`
	Metadata   map[string]any `json:"Metadata,omitempty"`
}

// Path is the resource's construct path (metadata aws:cdk:path), if any.
func (r Resource) Path() string {
	p, _ := r.Metadata["aws:cdk:path"].(string)
	return p
}

// Template is the part of a CloudFormation template costguard reads.
type Template struct {
	Metadata  map[string]any      `json:"Metadata,omitempty"`
	Resources map[string]Resource `json:"Resources"`
}

// LogicalIDs returns the template's logical IDs, sorted.
func (t Template) LogicalIDs() []string {
	ids := make([]string, 0, len(t.Resources))
	for id := range t.Resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Stack is one stack of an assembly.
type Stack struct {
	// Name is the stack artifact's id (for a loose template, its file name
	// without .template.json or .json).
	Name string
	// File is the template's path.
	File     string
	Template Template
	// Region is the region of the stack's environment in the cloud
	// assembly manifest ("aws://ACCOUNT/REGION"); "" for an
	// environment-agnostic stack or a loose template.
	Region string
}

type manifest struct {
	Artifacts map[string]struct {
		Type        string `json:"type"`
		Environment string `json:"environment"`
		Properties  struct {
			TemplateFile  string `json:"templateFile"`
			DirectoryName string `json:"directoryName"`
		} `json:"properties"`
	} `json:"artifacts"`
}

// Read reads the stacks at path: a cloud assembly directory, its
// manifest.json, a directory of *.template.json files (such as golden
// templates), or a single template file. Stacks come back in artifact id
// (or file name) order.
func Read(path string) ([]Stack, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	switch {
	case info.IsDir():
		if _, err := os.Stat(filepath.Join(path, "manifest.json")); err != nil {
			return readTemplateDir(path)
		}
		return readAssembly(path, "", 0)
	case filepath.Base(path) == "manifest.json":
		return readAssembly(filepath.Dir(path), "", 0)
	}
	s, err := ReadTemplate(path)
	if err != nil {
		return nil, err
	}
	return []Stack{s}, nil
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// readTemplateDir reads every *.template.json of a directory that is not a
// cloud assembly, such as a directory of golden templates.
func readTemplateDir(dir string) ([]Stack, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.template.json"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("%s: not a cloud assembly (no manifest.json) and no *.template.json files", dir)
	}
	sort.Strings(files)
	var stacks []Stack
	for _, f := range files {
		s, err := ReadTemplate(f)
		if err != nil {
			return nil, err
		}
		stacks = append(stacks, s)
	}
	return stacks, nil
}

// ReadTemplate reads one CloudFormation template (JSON) as a stack named
// after its file.
func ReadTemplate(path string) (Stack, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Stack{}, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	var t Template
	if err := json.Unmarshal(b, &t); err != nil {
		return Stack{}, fmt.Errorf("%s: not a JSON CloudFormation template: %w", path, err)
	}
	if t.Resources == nil {
		return Stack{}, fmt.Errorf("%s: not a CloudFormation template (no Resources)", path)
	}
	name := filepath.Base(path)
	name = strings.TrimSuffix(strings.TrimSuffix(name, ".json"), ".template")
	return Stack{Name: name, File: path, Template: t}, nil
}

const maxNesting = 8

func readAssembly(dir, prefix string, depth int) ([]Stack, error) {
	if depth > maxNesting {
		return nil, fmt.Errorf("%s: cloud assemblies nested more than %d deep", dir, maxNesting)
	}
	mpath := filepath.Join(dir, "manifest.json")
	b, err := os.ReadFile(mpath)
	if err != nil {
		return nil, fmt.Errorf("%s: not a cloud assembly: %w", dir, unwrapPath(err))
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", mpath, err)
	}
	ids := make([]string, 0, len(m.Artifacts))
	for id := range m.Artifacts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var stacks []Stack
	for _, id := range ids {
		a := m.Artifacts[id]
		switch a.Type {
		case "aws:cloudformation:stack":
			if a.Properties.TemplateFile == "" {
				return nil, fmt.Errorf("%s: artifact %s has no properties.templateFile", mpath, id)
			}
			s, err := ReadTemplate(filepath.Join(dir, filepath.FromSlash(a.Properties.TemplateFile)))
			if err != nil {
				return nil, err
			}
			s.Name = prefix + id
			s.Region = envRegion(a.Environment)
			stacks = append(stacks, s)
		case "cdk:cloud-assembly":
			if a.Properties.DirectoryName == "" {
				continue
			}
			nested, err := readAssembly(filepath.Join(dir, filepath.FromSlash(a.Properties.DirectoryName)), prefix+id+"/", depth+1)
			if err != nil {
				return nil, err
			}
			stacks = append(stacks, nested...)
		}
	}
	if len(stacks) == 0 {
		return nil, fmt.Errorf("%s: no stacks in the cloud assembly", dir)
	}
	return stacks, nil
}

// envRegion is the region of a manifest environment "aws://ACCOUNT/REGION";
// "" when the environment is agnostic ("unknown-region") or malformed.
func envRegion(env string) string {
	rest, ok := strings.CutPrefix(env, "aws://")
	if !ok {
		return ""
	}
	_, region, ok := strings.Cut(rest, "/")
	if !ok || region == "" || region == "unknown-region" {
		return ""
	}
	return region
}
