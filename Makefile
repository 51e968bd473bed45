# costguard — build, test and synthesize the cost-guarded inference API.
#
# `make synth` and `make test` are all a fresh machine with Go, Node and npm
# needs: they install the pinned toolchain (Node 22, the CDK CLI, the Lambda
# Runtime Interface Emulator, Go modules) into this checkout first.
#
# Area-specific targets live in mk/*.mk; this file holds the toolchain and the
# top-level targets.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ROOT      := $(CURDIR)
TOOLS     := $(ROOT)/.tools
TOOLS_BIN := $(TOOLS)/bin
NODE_BIN  := $(ROOT)/node_modules/.bin

# The pinned Node (from package.json) comes first, so jsii and the CDK CLI run
# on a supported Node whatever the machine's own node is.
export PATH := $(NODE_BIN):$(TOOLS_BIN):$(PATH)
export GOFLAGS ?= -buildvcs=false
# Synth and tests never need AWS: keep any ambient profile out of the way.
export AWS_EC2_METADATA_DISABLED := true
export CDK_DISABLE_VERSION_CHECK := 1
export CDK_CLI_NOTICES := false

# Pinned tools installed from the Go module proxy.
RIE_VERSION         := v0.0.0-20261030222936-bef5c4ba774d
STATICCHECK_VERSION := v0.8.2
BENCHSTAT_VERSION   := v0.0.0-20260908200009-22c9c6c9d4da

CDK := $(NODE_BIN)/cdk

.PHONY: help
help: ## List the targets.
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

# ---------------------------------------------------------------- toolchain

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@# node_modules ships Go templates (the CDK CLI's init templates); a go.mod
	@# of its own keeps it out of this module's ./... patterns.
	@printf 'module ignore/node_modules\n' > node_modules/go.mod
	@touch $@

$(TOOLS_BIN)/aws-lambda-rie:
	GOBIN=$(TOOLS_BIN) go install github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$(RIE_VERSION)

$(TOOLS_BIN)/staticcheck:
	GOBIN=$(TOOLS_BIN) go install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

$(TOOLS_BIN)/benchstat:
	GOBIN=$(TOOLS_BIN) go install golang.org/x/perf/cmd/benchstat@$(BENCHSTAT_VERSION)

.PHONY: deps
deps: node_modules/.installed $(TOOLS_BIN)/aws-lambda-rie ## Install the pinned Node, CDK CLI, emulator and Go modules.
	go mod download

# ---------------------------------------------------------------- everyday

.PHONY: fmt
fmt: ## Format the Go code.
	gofmt -w $$(git ls-files '*.go')

.PHONY: lint
lint: $(TOOLS_BIN)/staticcheck ## go vet, staticcheck, gofmt and go mod tidy checks.
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above need formatting (make fmt)"; exit 1; }
	go vet ./...
	staticcheck ./...

.PHONY: test
test: deps ## Run every test (unit, construct, golden, emulator end-to-end).
	go vet ./...
	go test -count=1 ./...

include $(wildcard mk/*.mk)
