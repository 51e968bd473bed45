"""iris-linear, wine-forest: scikit-learn estimators as ai.onnx.ml graphs.

skl2onnx cannot be installed here, so this script writes what skl2onnx emits
for these two estimators (options zipmap=False) with onnx.helper, from the
fitted estimators' own arrays:

- LogisticRegression(multi_class="multinomial") on iris: LinearClassifier
  (multi_class=1, post_transform SOFTMAX) followed by Normalizer(norm L1), as
  skl2onnx's linear_classifier converter does for multinomial models.
- RandomForestClassifier(10 trees, max_depth 4) on wine: one
  TreeEnsembleClassifier, BRANCH_LEQ nodes, leaf class weights = leaf class
  proportions / n_trees, post_transform NONE. Thresholds are the largest
  float32 not above scikit-learn's float64 threshold, so float32 inputs take
  the branch scikit-learn takes (skl2onnx does the same).

Data: scikit-learn's bundled iris and wine datasets (BSD-3, shipped in
python3-sklearn). References come from predict_proba, not from the ONNX file.

    /usr/bin/python3 lambda/models/export/tabular.py
"""

import numpy as np
import onnx
from onnx import TensorProto, helper
from sklearn.datasets import load_iris, load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

import common

SEED = 20261130
OPSET = 13  # default domain


def _save(name, graph, ml_opset):
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("ai.onnx.ml", ml_opset)],
        producer_name="costguard-export",
        producer_version="1",
    )
    model.ir_version = 8
    path = common.model_dir(name) / "model.onnx"
    onnx.save(model, str(path))
    return common.check_onnx(path)


def _io(n_features, n_classes):
    return (
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", n_features])],
        [
            helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]),
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", n_classes]),
        ],
    )


def linear_graph(clf, n_features):
    k = len(clf.classes_)
    inputs, outputs = _io(n_features, k)
    nodes = [
        helper.make_node(
            "LinearClassifier", ["input"], ["label", "probability_tensor"], name="LinearClassifier", domain="ai.onnx.ml",
            coefficients=clf.coef_.astype(np.float64).ravel().tolist(),
            intercepts=clf.intercept_.astype(np.float64).tolist(),
            multi_class=1, post_transform="SOFTMAX",
            classlabels_ints=[int(c) for c in clf.classes_],
        ),
        helper.make_node("Normalizer", ["probability_tensor"], ["probabilities"], name="Normalizer", domain="ai.onnx.ml", norm="L1"),
    ]
    return helper.make_graph(nodes, "iris_linear", inputs, outputs)


def float32_threshold(t):
    """The largest float32 f with f <= t: for any float32 x, x <= t iff x <= f."""
    f = np.float32(t)
    if float(f) > t:
        f = np.nextafter(f, np.float32(-np.inf), dtype=np.float32)
    return float(f)


def forest_graph(forest, n_features):
    k = len(forest.classes_)
    a = {key: [] for key in ("nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_values",
                             "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true",
                             "nodes_hitrates", "class_treeids", "class_nodeids", "class_ids", "class_weights")}
    w_tree = 1.0 / len(forest.estimators_)
    for tid, est in enumerate(forest.estimators_):
        t = est.tree_
        for i in range(t.node_count):
            leaf = not (t.children_left[i] > i or t.children_right[i] > i)
            a["nodes_treeids"].append(tid)
            a["nodes_nodeids"].append(i)
            a["nodes_featureids"].append(0 if leaf else int(t.feature[i]))
            a["nodes_modes"].append("LEAF" if leaf else "BRANCH_LEQ")
            a["nodes_values"].append(0.0 if leaf else float32_threshold(float(t.threshold[i])))
            a["nodes_truenodeids"].append(0 if leaf else int(t.children_left[i]))
            a["nodes_falsenodeids"].append(0 if leaf else int(t.children_right[i]))
            a["nodes_missing_value_tracks_true"].append(0)
            a["nodes_hitrates"].append(1.0)
            if leaf:
                v = t.value[i][0].astype(np.float64)
                v = v / v.sum()
                for c in range(k):
                    a["class_treeids"].append(tid)
                    a["class_nodeids"].append(i)
                    a["class_ids"].append(c)
                    a["class_weights"].append(float(v[c] * w_tree))
    inputs, outputs = _io(n_features, k)
    node = helper.make_node(
        "TreeEnsembleClassifier", ["input"], ["label", "probabilities"], name="TreeEnsembleClassifier", domain="ai.onnx.ml",
        post_transform="NONE", classlabels_int64s=[int(c) for c in forest.classes_], **a,
    )
    return helper.make_graph([node], "wine_forest", inputs, outputs)


def cases(clf, rows, labels, feature_names=None):
    rows32 = rows.astype(np.float32)
    p = clf.predict_proba(rows32.astype(np.float64))
    out = []
    for r, pr in zip(rows32, p):
        c = {"row": [float(v) for v in r]}
        if feature_names:
            c["features"] = {n: float(v) for n, v in zip(feature_names, r)}
        c["probabilities"] = common.floats(pr)
        c["label"] = labels[int(np.argmax(pr))]
        c["label_index"] = int(np.argmax(pr))
        out.append(c)
    return out


def build(name, data, clf, graph_fn, ml_opset, describe, extra_cases=()):
    x, y = data.data, data.target
    # Train and predict on float32 values: what the ONNX input holds.
    x = x.astype(np.float32).astype(np.float64)
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.3, random_state=SEED, stratify=y)
    clf.fit(xtr, ytr)
    acc = float(clf.score(xte, yte))
    print("%s held-out accuracy %.4f" % (name, acc))
    if acc < 0.9:
        raise SystemExit("%s: accuracy %.4f below 0.9" % (name, acc))
    labels = [str(n) for n in data.target_names]
    common.write_labels(name, labels)
    desc = _save(name, graph_fn(clf, x.shape[1]), ml_opset)
    rows = np.concatenate([xte[:10], np.asarray(extra_cases, dtype=np.float64).reshape(-1, x.shape[1])])
    features = [str(f) for f in data.feature_names]
    ref = {
        "model": name,
        "task": "tabular",
        "description": describe,
        "onnx_opset": OPSET,
        "onnx_ml_opset": ml_opset,
        "onnx": desc,
        "labels": labels,
        "inputs": desc["inputs"],
        "outputs": desc["outputs"],
        "output": "probabilities",
        "scores": "probabilities",
        "preprocess": {"features": features},
        "accuracy": {"value": acc, "split": "train_test_split(test_size=0.3, stratify=y, random_state=%d)" % SEED,
                     "train_size": len(ytr), "test_size": len(yte)},
        "data": "scikit-learn bundled dataset %s (BSD-3-Clause, shipped in python3-sklearn)" % name.split("-")[0],
        "command": "make test-model-" + name,
        "cases": cases(clf, rows, labels, features if name == "wine-forest" else None),
    }
    common.write_reference(name, ref)


def main():
    common.seed_everything(SEED)
    build("iris-linear", load_iris(), LogisticRegression(multi_class="multinomial", C=1.0, max_iter=1000),
          linear_graph, 1, "scikit-learn LogisticRegression (multinomial, lbfgs) on iris: ai.onnx.ml LinearClassifier + Normalizer",
          extra_cases=[[5.0, 3.4, 1.5, 0.2], [0.0, 0.0, 0.0, 0.0]])
    build("wine-forest", load_wine(), RandomForestClassifier(n_estimators=10, max_depth=4, random_state=SEED),
          forest_graph, 3, "scikit-learn RandomForestClassifier (10 trees, max_depth 4) on wine: ai.onnx.ml TreeEnsembleClassifier")


if __name__ == "__main__":
    main()
