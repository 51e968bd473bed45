# Sibling tiers (constructs/fargate, constructs/sagemaker, constructs/service,
# the example stages of stacks/config.go). Included by the top Makefile,
# which exports PATH (the pinned Node first).
#
#   make tiers-test                  the tiers' tests: assertions, goldens, cdk-nag, placement and validation tables
#   make tiers-plan                  where placement puts the example models, and why

TIERS_PKGS := ./constructs/fargate/ ./constructs/sagemaker/ ./constructs/service/

.PHONY: tiers-test
tiers-test: ## The sibling tiers' tests (Fargate, SageMaker, InferenceService, example stacks).
	go test -count=1 $(TIERS_PKGS)
	go test -count=1 -run 'TestExamples$$|TestExampleInfeasible|TestStage' ./stacks/

.PHONY: tiers-plan
tiers-plan: ## Where placement puts the example models (12 GB model, GPU model), and why.
	go run ./cmd/costguard plan --artifact-mb 9000 --peak-memory-mb 12288 --p99-ms 400 --avg-ms 150 --payload-bytes 65536 --requests 3000000
	go run ./cmd/costguard plan --artifact-mb 2000 --peak-memory-mb 6000 --p99-ms 80 --avg-ms 40 --gpu --payload-bytes 262144 --requests 2000000
