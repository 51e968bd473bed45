# Cost guard (constructs/guard, internal/killswitch, cmd/killswitch).
# Included by the top Makefile, which exports PATH and defines ROOT and TOOLS_BIN.
#
#   make killswitch                        build the kill-switch Lambda into build/killswitch/bootstrap (linux/arm64)
#   make guard-test                        the guard's tests (pure Go, kill switch end to end, construct assertions)
#   make guard-status STAGE=dev            what the kill switch of a deployed stage has stopped (needs AWS credentials)
#   make guard-restore STAGE=dev           put back what it stopped (needs AWS credentials)

KILLSWITCH_OUT  := $(ROOT)/build/killswitch
KILLSWITCH_ARCH ?= arm64

.PHONY: killswitch
killswitch: ## Build the kill-switch Lambda (reproducible, linux/arm64 unless KILLSWITCH_ARCH=amd64) into build/killswitch.
	mkdir -p $(KILLSWITCH_OUT)
	CGO_ENABLED=0 GOOS=linux GOARCH=$(KILLSWITCH_ARCH) go build -trimpath -buildvcs=false -ldflags='-s -w -buildid=' \
	  -o $(KILLSWITCH_OUT)/bootstrap ./cmd/killswitch

.PHONY: guard-test
guard-test: ## The cost guard's tests: caps, dollar expressions, kill switch end to end, construct and restore CLI.
	go test -count=1 ./constructs/guard/... ./internal/killswitch/... ./cmd/killswitch/ ./cmd/costguard/cli/

.PHONY: guard-status
guard-status: ## What the kill switch of STAGE has stopped (AWS credentials of the stage's account).
	@test -n "$(STAGE)" || { echo "guard-status: set STAGE (dev, staging, prod)"; exit 2; }
	go run ./cmd/costguard restore --stage $(STAGE) --status

.PHONY: guard-restore
guard-restore: ## Put back what the kill switch of STAGE stopped (AWS credentials of the stage's account).
	@test -n "$(STAGE)" || { echo "guard-restore: set STAGE (dev, staging, prod)"; exit 2; }
	go run ./cmd/costguard restore --stage $(STAGE)
