"""Loads the sample book and its agenda through the pydantic models that
datamodel-code-generator makes of schema/*.json, as a Python bindings author would.

Usage: python python_types.py GENERATED_DIR BOOK.json AGENDA.json

GENERATED_DIR holds book.py, agenda.py and error.py, generated from the committed
schemas. Fails if a generated class is numbered (EventKind1), if the sample book or the
agenda does not load, if either does not dump back to the same JSON, or if one
misspelt tag is reported more than once.
"""

import importlib.util
import inspect
import json
import re
import sys
from pathlib import Path

import pydantic


def load(directory, name):
    spec = importlib.util.spec_from_file_location(name, Path(directory) / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def main():
    directory, book_path, agenda_path = sys.argv[1:4]
    modules = [load(directory, name) for name in ("book", "agenda", "error")]
    book_m, agenda_m, error_m = modules

    total = 0
    numbered = []
    for m in modules:
        for name, obj in vars(m).items():
            # Declared classes only (pydantic's parametrised generics live here too).
            if inspect.isclass(obj) and obj.__module__ == m.__name__ and name.isidentifier():
                total += 1
                if re.search(r"\d$", name):
                    numbered.append(f"{m.__name__}.{name}")
    print(f"{total} generated classes, {len(numbered)} numbered")
    if numbered:
        sys.exit("numbered classes: " + ", ".join(numbered))

    book_json = json.loads(Path(book_path).read_text())
    agenda_json = json.loads(Path(agenda_path).read_text())
    book = book_m.Book.model_validate(book_json)
    agenda = agenda_m.Agenda.model_validate(agenda_json)
    for what, model, original in (("book", book, book_json), ("agenda", agenda, agenda_json)):
        dumped = json.loads(model.model_dump_json(exclude_unset=True, by_alias=True))
        if dumped != original:
            sys.exit(f"the {what} does not dump back to the same JSON")
    print(
        f"loaded the sample book ({len(book.accounts)} accounts, "
        f"{len(book.interactions)} interactions) and its agenda "
        f"({len(agenda.touches)} touches), both dump back to the same JSON"
    )

    error_m.RetentionError.model_validate(
        {"problems": [{"code": "model.empty_id", "path": "accounts[0].id",
                       "message": "the id of an account is blank"}]}
    )

    # One misspelt tag is one error, at its path, thanks to the discriminator.
    bad = json.loads(json.dumps(book_json))
    bad["interactions"][0]["initiated_by"] = {"kind": "custmer"}
    try:
        book_m.Book.model_validate(bad)
        sys.exit("a misspelt tag was accepted")
    except pydantic.ValidationError as e:
        errors = e.errors()
        print(f"a misspelt tag gives {len(errors)} error(s): {errors[0]['loc']}")
        if len(errors) != 1:
            sys.exit("one misspelt tag should be one error")


if __name__ == "__main__":
    main()
