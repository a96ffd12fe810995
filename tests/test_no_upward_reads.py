"""No app reads through a relation into an app above it (docs/architecture.md, « Dependency
rule »). import-linter (make lint) keeps imports downward; this test does the same for reverse
relations: when a model of a higher app points to a model of a lower one, the lower app's code
and templates never follow the reverse accessor (`organisation.actions`, `campaign.priorities`).
The order is the layers contract of pyproject.toml, read from there."""

import re
import tomllib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent


def floors():
    """{app label: floor number}, bottom floor 0, from the import-linter contract."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = config["tool"]["importlinter"]["contracts"][0]["layers"]
    return {
        module.strip().removeprefix("reperes."): floor
        for floor, line in enumerate(reversed(layers))
        for module in line.split("|")
    }


def upward_accessors(floor):
    """(lower app, accessor, higher model) for every relation from a higher app to a lower one."""
    for model in apps.get_models():
        source = model._meta.app_label
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete and field.related_model):
                continue
            target = field.related_model._meta.app_label
            if source in floor and target in floor and floor[target] < floor[source]:
                accessor = field.remote_field.get_accessor_name()
                if accessor and not accessor.endswith("+"):
                    yield floor[source], accessor, f"{source}.{model.__name__}"


def code_lines(app):
    """The lines of an app's code and templates that can read a relation (no imports, no
    comments, no migrations)."""
    paths = [*(ROOT / "reperes" / app).rglob("*.py"), *(ROOT / "templates" / app).rglob("*.html")]
    for path in paths:
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            stripped = line.strip()
            if stripped.startswith(("from ", "import ", "#", "{#")):
                continue
            yield f"{path.relative_to(ROOT)}:{number}", stripped


def upward_reads(floor, lines_of):
    """Every line of an app that follows the reverse accessor of a relation from an app above."""
    accessors = sorted(set(upward_accessors(floor)))
    # A module path (`reperes.lib.actions`, `discussions.actions` in a docstring) is not a read.
    module_path = re.compile(rf"\b(reperes\.)?({'|'.join(floor)})(\.\w+)+")
    assert accessors, "the check found no relation between floors: it would check nothing"
    found = []
    for app, app_floor in floor.items():
        lines = [(place, module_path.sub("", line)) for place, line in lines_of(app)]
        for source_floor, accessor, model in accessors:
            if app_floor >= source_floor:
                continue
            pattern = re.compile(rf"\.{re.escape(accessor)}\b|\b{re.escape(accessor)}__")
            found += [
                f"{place}: .{accessor} ({model}) :: {line}" for place, line in lines if pattern.search(line)
            ]
    return found


def test_no_app_follows_a_relation_into_an_app_above_it():
    found = upward_reads(floors(), code_lines)
    assert not found, "\n".join(found)


def test_the_check_sees_an_upward_read():
    """The check is not blind: a dashboard counting actions from the organisations app is found,
    an import of an `actions` module is not."""

    def lines_of(app):
        if app == "organisations":
            yield "views.py:1", "open = organisation.actions.filter(status='done').count()"
            yield "views.py:2", "refused = reperes.lib.actions.ActionRefused"

    found = upward_reads(floors(), lines_of)
    assert len(found) == 1 and found[0].startswith("views.py:1: .actions (action_plans.Action)")
