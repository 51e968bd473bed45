# Cost model and the costguard CLI (cost/, cmd/costguard/). Included by the
# top Makefile, which exports PATH (with $(TOOLS_BIN)) and defines ROOT.
#
#   make costguard                  build the CLI into .tools/bin/costguard
#   make cost-report                monthly estimate of cdk.out, per stack and resource
#   make cost-summary               one line per stack (what `make synth` should end with)
#   make cost-diff [STAGE=dev]      cost delta of cdk.out against the golden templates
#   make cost-diff COST_BASE=old.out   ... or against another assembly or template dir
#   make cost-test                  the cost model and CLI tests (no Node, no CDK)
#   make cost-examples              AWS's published pricing examples, through the CLI

COSTGUARD     := $(TOOLS_BIN)/costguard
COST_CDK_OUT  := $(or $(CDK_OUT),$(ROOT)/cdk.out)
# What cost-diff compares against: the committed golden templates by default.
COST_BASE     ?= $(ROOT)/stacks/testdata
COST_STAGES    = $(or $(STAGE),$(or $(CDK_STAGES),dev staging prod))
COST_SOURCES  := $(shell find $(ROOT)/cost $(ROOT)/cmd/costguard -name '*.go' -not -name '*_test.go' 2>/dev/null)

$(COSTGUARD): $(COST_SOURCES) $(ROOT)/go.mod $(ROOT)/go.sum
	go build -trimpath -o $@ ./cmd/costguard

.PHONY: costguard
costguard: $(COSTGUARD) ## Build the costguard CLI into .tools/bin.

.PHONY: cost-report
cost-report: $(COSTGUARD) ## Monthly estimate of cdk.out per stack and resource (run make synth first).
	$(COSTGUARD) report $(COST_CDK_OUT)

.PHONY: cost-summary
cost-summary: $(COSTGUARD) ## One line per stack: monthly estimate against budget.
	$(COSTGUARD) report --summary $(COST_CDK_OUT)

.PHONY: cost-diff
cost-diff: $(COSTGUARD) ## Cost delta of cdk.out against COST_BASE (default: the golden templates), per stage.
	@if [ -d "$(COST_BASE)" ] && [ ! -f "$(COST_BASE)/manifest.json" ]; then \
	  for s in $(COST_STAGES); do \
	    $(COSTGUARD) diff $(COST_BASE)/costguard-$$s.template.json $(COST_CDK_OUT)/costguard-$$s.template.json || exit $$?; \
	  done; \
	else \
	  $(COSTGUARD) diff $(COST_BASE) $(COST_CDK_OUT); \
	fi

.PHONY: cost-test
cost-test: ## Run the cost model and costguard CLI tests.
	go test -count=1 ./cost/... ./cmd/costguard/...

.PHONY: cost-examples
cost-examples: $(COSTGUARD) ## Reproduce AWS's published pricing examples through the CLI.
	$(COSTGUARD) estimate lambda --requests 3000000 --duration-ms 120 --memory-mb 1536 --arch x86_64 --free-tier
	$(COSTGUARD) estimate lambda --requests 6000000 --duration-ms 280 --memory-mb 4096 --arch x86_64 --ephemeral-mb 2048 --free-tier
	$(COSTGUARD) estimate api --api rest --requests 5000000
	$(COSTGUARD) estimate lambda --requests 30000000 --duration-ms 200 --memory-mb 128 --free-tier
	$(COSTGUARD) estimate lambda --requests 1200000 --duration-ms 1000 --memory-mb 1024 --provisioned 1000 --provisioned-hours 2 --provisioned-requests 1200000 --provisioned-duration-ms 1000
