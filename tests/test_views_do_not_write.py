"""Views read, actions write: no view module calls a write method of the ORM itself.

Every `views.py` and `*_views.py` under reperes/ is parsed with `ast`; a call to one of WRITES
fails the test. Two calls look like writes and are not, and are told apart by their shape:

- `form.save(commit=False)` only builds the object from the form, for an action to save;
- `name.update(...)` on a name the same function bound to a dict (`x = {...}`, `x = dict(...)`)
  is a dict update.

A static check cannot follow every path (a helper that writes, called from a view, passes);
the behaviour tests cover those. It keeps the obvious case out: `Model.objects.create(...)`
typed in a view.
"""

import ast
from pathlib import Path

import reperes

WRITES = {
    "save",
    "delete",
    "create",
    "update",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
}

# (module, function, method): why it stays. Keep it short.
ALLOWED = {}

ROOT = Path(reperes.__file__).resolve().parent


def view_modules():
    return sorted(
        path for path in ROOT.rglob("*.py") if path.name == "views.py" or path.name.endswith("_views.py")
    )


def _dict_names(function):
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and (
            isinstance(node.value, ast.Dict | ast.DictComp)
            or (
                isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name)
                and node.value.func.id == "dict"
            )
        ):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
    return names


def _builds_only(call):
    return any(
        keyword.arg == "commit" and isinstance(keyword.value, ast.Constant) and keyword.value.value is False
        for keyword in call.keywords
    )


def writes_in(path):
    """(function, method, line) of each write call in the module at `path`."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    functions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    for function in functions:
        dicts = _dict_names(function)
        for node in ast.walk(function):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            method = node.func.attr
            if method not in WRITES:
                continue
            if method == "save" and _builds_only(node):
                continue
            receiver = node.func.value
            if method == "update" and isinstance(receiver, ast.Name) and receiver.id in dicts:
                continue
            found.append((function.name, method, node.lineno))
    return sorted(set(found), key=lambda hit: hit[2])


def test_there_are_view_modules_to_check():
    names = {str(path.relative_to(ROOT.parent)) for path in view_modules()}
    assert "reperes/telework/views.py" in names
    assert "reperes/organisations/invitation_views.py" in names


def test_views_do_not_write():
    offences = []
    for path in view_modules():
        module = str(path.relative_to(ROOT.parent))
        for function, method, line in writes_in(path):
            if (module, function, method) not in ALLOWED:
                offences.append(f"{module}:{line} {function}() calls .{method}(")
    assert not offences, "Views write through actions:\n" + "\n".join(offences)


def test_allowed_entries_are_still_needed():
    used = {
        (str(path.relative_to(ROOT.parent)), function, method)
        for path in view_modules()
        for function, method, _ in writes_in(path)
    }
    assert set(ALLOWED) <= used, f"No longer needed: {set(ALLOWED) - used}"


def test_the_checker_sees_a_write(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        "def page(request, form, context):\n"
        "    form.save(commit=False)\n"
        "    extra = {}\n"
        "    extra.update(a=1)\n"
        "    Thing.objects.create(name='x')\n"
        "    context.update(a=1)\n"
    )
    assert writes_in(module) == [("page", "create", 5), ("page", "update", 6)]
