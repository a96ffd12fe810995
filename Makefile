# Repères — the two commands of the README, and a few helpers.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PY := .venv/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test bench loadtest faults load-setup backup restore lint format setup dev-setup system-deps validator clean demo-code

help:
	@echo "make run    — installe, prépare la base, charge la démo et lance http://$(HOST):$(PORT)"
	@echo "make test   — toute la suite de tests (lint, migrations, unitaires, navigateur)"
	@echo "make bench  — mesures de performance (ratios à une référence mesurée dans la même exécution)"
	@echo "make loadtest — deux processus gunicorn, le travailleur et Locust sur PostgreSQL : débit, p95, rien de perdu"
	@echo "make faults — pannes sous charge : PostgreSQL redémarré, kill -9, disque plein (SQLite)"
	@echo "make backup — une archive de la base, des fichiers déposés et de la clé dans var/backups"
	@echo "make restore ARCHIVE=var/backups/reperes-….tar.gz [YES=1] — restaure une archive (site arrêté)"
	@echo "make format — reformate le code (ruff, djLint)"
	@echo "make demo-code — le code de double authentification des comptes de démonstration (réseau, administration)"

setup:
	@scripts/bootstrap.sh

dev-setup:
	@scripts/bootstrap.sh --dev

run: setup
	@DEBUG=1 $(MANAGE) migrate --no-input -v 0
	@DEBUG=1 $(MANAGE) createcachetable
	@DEBUG=1 $(MANAGE) load_content
	@DEBUG=1 $(MANAGE) seed_demo
	@echo ""
	@echo "Repères tourne sur http://$(HOST):$(PORT)/ — connectez-vous avec un compte ci-dessus. Ctrl+C pour arrêter."
	@DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

demo-code:
	@DEBUG=1 $(MANAGE) demo_code

system-deps:
	@scripts/system-deps.sh

validator: system-deps
	@scripts/vnu.sh

lint: dev-setup
	.venv/bin/ruff check .
	.venv/bin/lint-imports --no-cache
	.venv/bin/ruff format --check .
	.venv/bin/djlint templates --check
	.venv/bin/djlint templates --lint
	$(MANAGE) makemigrations --check --dry-run

# The 25 slowest tests close the report: where CI's time goes (keep the whole run under 30 min).
# worksteal: a worker that runs out of tests takes some of the other's, so that a long browser
# journey near the end does not leave a core idle.
test: dev-setup system-deps validator lint
	.venv/bin/pytest -n auto --dist worksteal --durations=25

bench: dev-setup
	$(PY) bench/run.py
	$(PY) bench/http_bench.py
	$(PY) bench/reports_bench.py
	$(PY) bench/rebuild_bench.py
	$(PY) bench/national_bench.py

# Load and faults: PostgreSQL on 127.0.0.1:5432 with the role of .ci/run, Locust (the « load »
# dependency group, installed here only). A few minutes each; not part of `make test`.
load-setup: dev-setup
	@.tools/bin/uv sync --locked --group load --inexact --quiet

loadtest: load-setup
	$(PY) bench/loadtest.py

faults: load-setup
	$(PY) bench/loadtest.py --faults

backup: setup
	@$(MANAGE) backup

restore: setup
	@test -n "$(ARCHIVE)" || { echo "Usage : make restore ARCHIVE=var/backups/reperes-….tar.gz [YES=1]" >&2; exit 2; }
	@$(MANAGE) restore "$(ARCHIVE)" $(if $(YES),--yes)

format: dev-setup
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .
	.venv/bin/djlint templates --reformat --quiet || true

clean:
	rm -rf .venv .tools var
