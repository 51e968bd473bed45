# CDK targets: synth, diff, deploy, golden. Included by the top Makefile,
# which puts the pinned Node and CDK CLI first on PATH and defines CDK.
#
#   make synth                      every stage into cdk.out (no AWS needed)
#   make synth STAGE=prod           one stage
#   make synth CDK_ARGS='-c memoryMiB=2048'   with a context override
#   make synth STAGE=dev CDK_ARGS='-c modelDir=/abs/model -c architecture=x86_64'   another model
#   make diff [STAGE=dev]           each stage against its committed golden
#   make deploy STAGE=dev           needs AWS credentials and a bootstrapped account
#   make golden                     refresh every golden file (stacks, tiers, cost report, model server events, optimized graphs)

CDK_STAGES := dev staging prod
# The packages with golden files, refreshed by their tests' -update flag.
GOLDEN_PKGS := ./stacks/ ./constructs/fargate/ ./constructs/sagemaker/ ./constructs/service/ ./cost/report/ ./lambda/server/ ./lambda/model/
# Stacks `make diff` checks when no STAGE is given: every stage plus the
# example stacks that show the Fargate and SageMaker paths.
CDK_DIFF_STACKS := $(CDK_STAGES) example-large example-gpu
STAGE      ?=
CDK_ARGS   ?=
CDK_OUT    := $(ROOT)/cdk.out
# Synth is hermetic: no lookups, no credentials, no version check or notices.
CDK_FLAGS  := --no-notices --no-version-reporting
cdk_stage_ctx = $(if $(STAGE),-c stage=$(STAGE))
cdk_stages    = $(if $(STAGE),$(STAGE),$(CDK_DIFF_STACKS))

.PHONY: synth
synth: deps ## Build the model server and synthesize every stage (STAGE=name for one) to cdk.out, cdk-nag included.
	@rm -rf $(CDK_OUT)
	$(CDK) synth $(CDK_FLAGS) --quiet --output $(CDK_OUT) $(cdk_stage_ctx) $(CDK_ARGS)
	@ls $(CDK_OUT)/*.template.json
	@echo "monthly cost estimate at each stage's expected traffic (costguard report cdk.out):"
	@$(MAKE) --no-print-directory cost-summary

.PHONY: diff
diff: synth ## Template and cost diff of each synthesized stack (STAGE=name for one) against its golden in stacks/testdata; fails on a difference.
	@status=0; for s in $(cdk_stages); do \
	  $(CDK) diff $(CDK_FLAGS) --app $(CDK_OUT) --fail \
	    --template stacks/testdata/costguard-$$s.template.json costguard-$$s || status=1; \
	done; \
	echo "monthly cost delta against the golden templates (costguard diff):"; \
	$(MAKE) --no-print-directory cost-diff COST_STAGES="$(cdk_stages)" || status=1; \
	exit $$status

.PHONY: deploy
deploy: deps ## Deploy one stage: make deploy STAGE=dev (needs AWS credentials and `cdk bootstrap`).
	@test -n "$(STAGE)" || { echo "deploy: set STAGE to one of $(CDK_STAGES)"; exit 1; }
	$(CDK) deploy $(CDK_ARGS) -c stage=$(STAGE) costguard-$(STAGE)

.PHONY: golden
golden: deps ## Refresh every golden file: the stacks', the tiers', the cost report's and the model server's events (review the diff like code).
	go test -count=1 $(GOLDEN_PKGS) -update
