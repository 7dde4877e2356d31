// The data half of the generated train.py: LoRA Lab's row shapes encoded as the
// engine encodes them (src/main/engine/io/tokenizer/examples.ts, alpaca.ts,
// spans.ts), so the cluster run learns exactly the tokens the local run learns:
// text → all tokens; instruction → Alpaca prompt masked (-100), output + eos
// learned; messages → chat template, only assistant turns (with their closing
// tokens) learned; input_ids (+labels) → used as given. Rows are cut to the
// sequence limit, never dropped; a bad row is an error naming file and line.
export const TRAIN_DATA_PY = String.raw`
IGNORE_INDEX = -100  # transformers' ignore_index: a label the loss skips
SHAPES = ("input_ids", "messages", "instruction", "text")


class RowError(ValueError):
    pass


def alpaca_prompt(instruction, input_text):
    """The Stanford Alpaca template; the input block is left out when input is absent or empty."""
    if input_text:
        return (
            "Below is an instruction that describes a task, paired with an input that provides further context. "
            "Write a response that appropriately completes the request.\n\n"
            f"### Instruction:\n{instruction}\n\n### Input:\n{input_text}\n\n### Response:\n"
        )
    return (
        "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n"
        f"### Instruction:\n{instruction}\n\n### Response:\n"
    )


def encode(tokenizer, text, add_special_tokens=True):
    return list(tokenizer(text, add_special_tokens=add_special_tokens)["input_ids"])


def tokens_before(tokenizer, prefix_text, full_ids, add_special_tokens):
    """How many leading tokens of full_ids encode text that lies within prefix_text."""
    ids = encode(tokenizer, prefix_text, add_special_tokens)
    n = 0
    while n < len(ids) and n < len(full_ids) and ids[n] == full_ids[n]:
        n += 1
    return n


def chat_text(tokenizer, messages, add_generation_prompt):
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=add_generation_prompt)


def by_prefix(tokenizer, messages, i, full, start_from):
    try:
        before = chat_text(tokenizer, messages[:i], True)
        through = chat_text(tokenizer, messages[: i + 1], False)
    except Exception:  # a template that fails on a partial conversation: use by_content
        return None
    ok = len(before) >= start_from and len(through) > len(before) and full.startswith(before) and full.startswith(through)
    return (len(before), len(through)) if ok else None


def by_content(tokenizer, content, full, start_from):
    for needle in (content, content.strip()):
        if needle == "":
            continue
        at = full.find(needle, start_from)
        if at < 0:
            continue
        end = at + len(needle)
        eos = tokenizer.eos_token
        if eos:
            gap = re.match(r"\s*", full[end:]).end()
            if full.startswith(eos, end + gap):
                end += gap + len(eos)
        return (at, end)
    return None


def render_chat(tokenizer, messages):
    """The conversation's ids and the [start, end) token spans of its assistant turns."""
    full = chat_text(tokenizer, messages, False)
    ids = encode(tokenizer, full, add_special_tokens=False)  # the template writes its own specials
    spans = []
    start_from = 0
    for i, message in enumerate(messages):
        if message["role"] != "assistant":
            continue
        chars = by_prefix(tokenizer, messages, i, full, start_from) or by_content(tokenizer, message["content"], full, start_from)
        if chars is None:
            raise RowError(f'cannot find "messages"[{i}] (assistant) in the conversation rendered by the chat template')
        start_from = chars[1]
        start = tokens_before(tokenizer, full[: chars[0]], ids, False)
        end = len(ids) if chars[1] == len(full) else tokens_before(tokenizer, full[: chars[1]], ids, False)
        if end > start:
            spans.append((start, end))
    return ids, spans


def encode_row(tokenizer, row, max_len):
    if not isinstance(row, dict):
        raise RowError(f"expected a JSON object with one of {', '.join(SHAPES)}")
    shapes = [k for k in SHAPES if k in row]
    if len(shapes) != 1:
        raise RowError(f"expected exactly one of {', '.join(SHAPES)}; the row has keys {', '.join(row) or '(none)'}")
    shape = shapes[0]
    if "labels" in row and shape != "input_ids":
        raise RowError('"labels" is only accepted with "input_ids"')
    if shape == "input_ids":
        ids = row["input_ids"]
        if not isinstance(ids, list) or not ids or not all(isinstance(t, int) and t >= 0 for t in ids):
            raise RowError('"input_ids" must be a non-empty list of non-negative token ids')
        labels = row.get("labels", list(ids))
        if not isinstance(labels, list) or len(labels) != len(ids):
            raise RowError('"labels" must be a list as long as "input_ids"')
        if not all(isinstance(t, int) and (t >= 0 or t == IGNORE_INDEX) for t in labels):
            raise RowError(f'"labels" must hold non-negative ids or {IGNORE_INDEX}')
    else:
        if tokenizer is None:
            raise RowError(f'a "{shape}" row needs a tokenizer, and the model has none; use pre-tokenized "input_ids" rows')
        if shape == "text":
            if not isinstance(row["text"], str) or row["text"] == "":
                raise RowError('"text" must be a non-empty string')
            ids = encode(tokenizer, row["text"])
            labels = list(ids)
        elif shape == "instruction":
            if not isinstance(row["instruction"], str) or row["instruction"] == "":
                raise RowError('"instruction" must be a non-empty string')
            if not isinstance(row.get("output"), str):
                raise RowError('"output" must be a string')
            prompt = alpaca_prompt(row["instruction"], row.get("input") or None)
            ids = encode(tokenizer, prompt + row["output"])
            n_prompt = tokens_before(tokenizer, prompt, ids, True)
            if tokenizer.eos_token_id is not None and ids[-1] != tokenizer.eos_token_id:
                ids.append(tokenizer.eos_token_id)
            labels = [IGNORE_INDEX if i < n_prompt else t for i, t in enumerate(ids)]
        else:
            messages = row["messages"]
            if not isinstance(messages, list) or not messages:
                raise RowError('"messages" must be a non-empty list of {"role", "content"}')
            for i, m in enumerate(messages):
                if not isinstance(m, dict) or not isinstance(m.get("role"), str) or not isinstance(m.get("content"), str):
                    raise RowError(f'"messages"[{i}] must be an object {{"role": string, "content": string}}')
            if not any(m["role"] == "assistant" for m in messages):
                raise RowError('"messages" has no "assistant" message, so there is nothing to learn')
            ids, spans = render_chat(tokenizer, messages)
            labels = [IGNORE_INDEX] * len(ids)
            for start, end in spans:
                labels[start:end] = ids[start:end]
        if shape != "text" and all(t == IGNORE_INDEX for t in labels):
            raise RowError("the row has no learned tokens")
    return {"input_ids": ids[:max_len], "labels": labels[:max_len]}


def read_rows(path, tokenizer, max_len):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                rows.append(encode_row(tokenizer, json.loads(line), max_len))
            except (ValueError, KeyError, TypeError) as err:
                raise SystemExit(f"{path}:{line_no}: {err}") from err
    if not rows:
        raise SystemExit(f"{path}: no examples (the file is empty)")
    return rows


class Rows(torch.utils.data.Dataset):
    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]


class PadCollator:
    """Right-pads a batch: ids with pad_id, labels with IGNORE_INDEX, attention_mask 0 on padding."""

    def __init__(self, pad_id):
        self.pad_id = pad_id

    def __call__(self, rows):
        width = max(len(r["input_ids"]) for r in rows)
        ids = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
        labels = torch.full((len(rows), width), IGNORE_INDEX, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, r in enumerate(rows):
            n = len(r["input_ids"])
            ids[i, :n] = torch.tensor(r["input_ids"], dtype=torch.long)
            labels[i, :n] = torch.tensor(r["labels"], dtype=torch.long)
            mask[i, :n] = 1
        return {"input_ids": ids, "attention_mask": mask, "labels": labels}
`;
