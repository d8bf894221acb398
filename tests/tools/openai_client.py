#!/usr/bin/env python3
"""The official `openai` Python client against shopassist's OpenAI-compatible
endpoint, unchanged: a completion, a streamed completion, the model list.
Run by tests/it/http_server.rs: python3 tests/tools/openai_client.py http://HOST:PORT/v1"""
import sys

from openai import OpenAI

client = OpenAI(base_url=sys.argv[1], api_key="unused")
models = client.models.list()
assert models.data and models.data[0].id, models
r = client.chat.completions.create(
    model=models.data[0].id,
    messages=[{"role": "user", "content": "I'm looking for a rain jacket under 100 euros"}],
    user="python-client",
)
text = r.choices[0].message.content
assert text and "rain jacket" in text.lower(), text
extra = r.model_extra["shopassist"]
assert extra["products"], extra
assert all(p["price"] <= 10000 for p in extra["products"]), extra["products"]
print("completion ok:", text.splitlines()[0])
parts = []
for chunk in client.chat.completions.create(
    model=models.data[0].id,
    messages=[{"role": "user", "content": "show more"}],
    user="python-client",
    stream=True,
):
    if chunk.choices and chunk.choices[0].delta.content:
        parts.append(chunk.choices[0].delta.content)
assert "".join(parts).strip(), parts
print("streamed ok:", "".join(parts).splitlines()[0])
