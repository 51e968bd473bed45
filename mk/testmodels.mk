# Test models for "bring your own model" (lambda/models/<name>/ and their
# references in lambda/models/testdata/<name>/), rebuilt by real exporters:
# torch.onnx for the torch models, onnx.helper over fitted scikit-learn
# estimators for the ai.onnx.ml ones. They use Debian's python3-torch (1.13),
# python3-torchvision, python3-onnx and python3-sklearn under /usr/bin/python3
# (not a python3 found on PATH); CI and `make test` never run these targets.

EXPORT_PY   := PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3
EXPORT_DIR  := lambda/models/export
EXPORT_DEBS := python3-torch python3-torchvision python3-onnx python3-sklearn python3-pil python3-numpy

.PHONY: test-models-deps
test-models-deps: ## Install the Debian Python packages the test-model exporters use (apt-get, when missing).
	@if ! $(EXPORT_PY) -c 'import torch, torchvision, onnx, sklearn, PIL, numpy' 2>/dev/null; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(EXPORT_DEBS); \
	fi

.PHONY: test-model-mobilenet test-model-mobilenet17
test-model-mobilenet: test-models-deps ## MobileNetV2 (width 0.25) on synthetic shapes: mobilenet (opset 13) and mobilenet17, one training.
	cd $(EXPORT_DIR) && $(EXPORT_PY) -u shapes.py
test-model-mobilenet17: test-model-mobilenet ## Same as test-model-mobilenet (the opset-17 export of the same weights).

.PHONY: test-model-cnn
test-model-cnn: test-models-deps ## Small CNN with BatchNorm and MaxPool on scikit-learn digits, opset 17.
	cd $(EXPORT_DIR) && $(EXPORT_PY) -u digits_cnn.py

.PHONY: test-model-bert test-model-bert13
test-model-bert: test-models-deps $(MODEL_DATA)/file_list.json ## BERT-class encoder on SpamAssassin with its WordPiece tokenizer: bert (opset 17) and bert13.
	cd $(EXPORT_DIR) && $(EXPORT_PY) -u bert_spam.py $(MODEL_DATA)
test-model-bert13: test-model-bert ## Same as test-model-bert (the opset-13 export of the same weights).

.PHONY: test-model-iris-linear test-model-wine-forest
test-model-iris-linear: test-models-deps ## scikit-learn models in ai.onnx.ml: iris-linear (LinearClassifier) and wine-forest (TreeEnsembleClassifier).
	cd $(EXPORT_DIR) && $(EXPORT_PY) -u tabular.py
test-model-wine-forest: test-model-iris-linear ## Same as test-model-iris-linear (one script writes both).

.PHONY: test-models
test-models: test-model-mobilenet test-model-cnn test-model-bert test-model-iris-linear ## Rebuild every committed test model and reference, then list sizes and sha256.
	@cd lambda/models && du -ch */model.onnx | tail -1 && sha256sum */model.onnx

# Cross-check with other engines than the exporters: ONNX Runtime
# (onnxruntime-node, the same npm package the engine uses) runs every test
# model on its reference cases, and Hugging Face's Rust tokenizers (npm
# tokenizers) re-encode every text case from the committed tokenizer.json.
HF_TOKENIZERS_PKG := tokenizers@0.23.2
HF_TOKENIZERS     := $(TOOLS)/hftok/node_modules/tokenizers

$(HF_TOKENIZERS)/package.json:
	mkdir -p $(TOOLS)/hftok
	npm install --no-save --ignore-scripts --no-audit --no-fund --loglevel=error --prefix $(TOOLS)/hftok $(HF_TOKENIZERS_PKG)

.PHONY: test-models-check
test-models-check: test-models-deps $(ORT_LIB) $(HF_TOKENIZERS)/package.json ## Check every test model's reference with ONNX Runtime and its tokenizer with Hugging Face tokenizers.
	rm -rf build/testmodels-check
	cd $(EXPORT_DIR) && $(EXPORT_PY) crosscheck_inputs.py $(ROOT)/build/testmodels-check
	ORT_NODE=$(TOOLS)/ort/node_modules/onnxruntime-node HF_TOKENIZERS=$(HF_TOKENIZERS) node $(EXPORT_DIR)/crosscheck.js lambda/models build/testmodels-check
