#!/usr/bin/env python3
"""Writes the reference token ids that tests/it/tokenizer_reference.rs compares against.

The reference is llama.cpp's own tokenizer (llama-cpp-python, loading the GGUF with
vocab_only), which shares no code with candle's or our GGUF-to-tokenizers conversion.
It is not installed by CI (it compiles llama.cpp); regenerate by hand after changing
the strings or adding a model:

    python3 -m venv /tmp/llvenv && /tmp/llvenv/bin/pip install llama-cpp-python
    /tmp/llvenv/bin/python tests/tools/tokenizer_reference.py models/*.gguf

One JSON file per model lands in tests/data/tokenizer/, named after the GGUF file.
"""
import hashlib
import json
import sys
from pathlib import Path

import llama_cpp

HERE = Path(__file__).resolve().parent.parent / "data" / "tokenizer"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main() -> None:
    strings = json.loads((HERE / "strings.json").read_text(encoding="utf-8"))
    for arg in sys.argv[1:]:
        path = Path(arg)
        llm = llama_cpp.Llama(model_path=str(path), vocab_only=True, verbose=False)
        cases = []
        for text in strings:
            ids = llm.tokenize(text.encode("utf-8"), add_bos=False, special=True)
            cases.append({"text": text, "ids": ids})
        out = {
            "reference": f"llama-cpp-python {llama_cpp.__version__}",
            "model": path.name,
            "sha256": sha256(path),
            "cases": cases,
        }
        target = HERE / (path.stem + ".json")
        # One case per line, so a diff shows which string changed.
        head = {k: v for k, v in out.items() if k != "cases"}
        lines = [json.dumps(c, ensure_ascii=False) for c in cases]
        text = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
        text += ',\n "cases": [\n  ' + ",\n  ".join(lines) + "\n ]\n}\n"
        json.loads(text)
        target.write_text(text, encoding="utf-8")
        print(f"{target}: {len(cases)} strings")


if __name__ == "__main__":
    main()
