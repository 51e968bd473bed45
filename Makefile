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
DEADCODE_VERSION    := v0.52.0

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

$(TOOLS_BIN)/deadcode:
	GOBIN=$(TOOLS_BIN) go install golang.org/x/tools/cmd/deadcode@$(DEADCODE_VERSION)

$(TOOLS_BIN)/benchstat:
	GOBIN=$(TOOLS_BIN) go install golang.org/x/perf/cmd/benchstat@$(BENCHSTAT_VERSION)

# The native (cgo) model server: Debian's C compilers for both Lambda
# architectures, GCC 12's static C++ runtime for each (internal/cxxrt relinks
# it for glibc 2.34), the arm64 glibc (the sysroot of the arm64 build and of
# its emulated tests) and qemu-user. Installed with apt-get as root only when
# one is missing.
NATIVE_DEBS := gcc libstdc++-12-dev gcc-aarch64-linux-gnu libc6-dev-arm64-cross libstdc++6-arm64-cross \
	libstdc++-12-dev-arm64-cross qemu-user
NATIVE_MISSING = $(shell dpkg-query -W -f='$${db:Status-Abbrev} $${Package}\n' $(NATIVE_DEBS) 2>/dev/null | awk '$$1 == "ii" {print $$2}' | sort | comm -13 - <(printf '%s\n' $(NATIVE_DEBS) | sort))

.PHONY: native-deps
native-deps: ## Install the C cross compilers and qemu-user (apt, as root) when missing.
	@missing="$(NATIVE_MISSING)"; \
	if [ -z "$$missing" ]; then echo "native deps present: $(NATIVE_DEBS)"; \
	elif [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then \
		echo "warning: missing Debian packages: $$missing (as root: apt-get install $$missing); the native build and its tests skip without them"; \
	else apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; fi

# The pinned ONNX Runtime libraries (internal/ortlib) for both
# architectures, fetched once into the user cache with `npm pack`, and the
# C++ runtime the native bundle carries next to them (internal/cxxrt).
.PHONY: ort
ort: ## Fetch the pinned libonnxruntime.so.1 and build the bundle's C++ runtime (amd64, arm64) into the user cache.
	go run ./internal/ortlib/cmd/fetch -arch amd64,arm64
	@# Needs the compilers of native-deps: fatal as root (CI), a warning otherwise.
	go run ./internal/cxxrt/cmd/build -arch amd64,arm64 || [ "$$(id -u)" != 0 ]

.PHONY: deps
deps: node_modules/.installed $(TOOLS_BIN)/aws-lambda-rie native-deps nodepeer ## Install the pinned Node, CDK CLI, emulator, Go modules, C cross compilers, qemu-user, ONNX Runtime, the bundle's C++ runtime and the Node.js peer of the model benchmarks (its test runs in make test).
	go mod download
	$(MAKE) --no-print-directory ort

# ---------------------------------------------------------------- everyday

.PHONY: fmt
fmt: ## Format the Go code.
	gofmt -w $$(git ls-files '*.go')

.PHONY: lint
lint: $(TOOLS_BIN)/staticcheck $(TOOLS_BIN)/deadcode ## gofmt, go vet, staticcheck, deadcode and a go mod tidy no-diff check.
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above need formatting (make fmt)"; exit 1; }
	go vet ./...
	staticcheck ./...
	@out="$$(deadcode -test ./...)"; test -z "$$out" || { echo "$$out"; echo "deadcode: the functions above are unused (remove them)"; exit 1; }
	@go mod tidy -diff || { echo "go mod tidy: go.mod or go.sum is not tidy (run go mod tidy)"; exit 1; }

.PHONY: test
test: deps ## Run every test (unit, construct, golden, emulator end-to-end), and the model server's again as a pure-Go build.
	go vet ./...
	go test -count=1 ./...
	@# The pure-Go engines (gonnx, gomlx) against the exporters' references.
	CGO_ENABLED=0 go test -count=1 ./lambda/model/ ./lambda/server/

include $(wildcard mk/*.mk)
