"""What several processes must agree on lives in a shared engine (issue 11, points 1 and 4):
the cache is the database table or Redis, never a process's memory; tasks run at once by
default and go to the database queue when asked."""

import subprocess

import pytest

from tests.lib.test_settings import run_settings


def test_the_cache_is_the_database_table_by_default(tmp_path):
    out = run_settings({"REPERES_VAR_DIR": str(tmp_path)}, "print(settings.CACHES['default']['BACKEND'])")
    assert out == "django.core.cache.backends.db.DatabaseCache"


def test_the_cache_is_redis_with_redis_url(tmp_path):
    out = run_settings(
        {"REPERES_VAR_DIR": str(tmp_path), "REDIS_URL": "redis://127.0.0.1:6379/0"},
        "print(settings.CACHES['default']['BACKEND'])",
    )
    assert out == "django.core.cache.backends.redis.RedisCache"


def test_no_setting_keeps_a_decision_in_process_memory(tmp_path):
    out = run_settings(
        {"REPERES_VAR_DIR": str(tmp_path)},
        "print(settings.AXES_HANDLER, [c['BACKEND'] for c in settings.CACHES.values()])",
    )
    assert "locmem" not in out.lower() and "dummy" not in out.lower()


def test_tasks_run_at_once_by_default_and_in_the_database_when_asked(tmp_path):
    code = "print(settings.TASKS['default']['BACKEND'])"
    assert run_settings({"REPERES_VAR_DIR": str(tmp_path)}, code) == (
        "django.tasks.backends.immediate.ImmediateBackend"
    )
    assert (
        run_settings({"REPERES_VAR_DIR": str(tmp_path), "TASKS_BACKEND": "database"}, code)
        == "django_tasks_db.DatabaseBackend"
    )


def test_an_unknown_task_backend_is_refused_in_french(tmp_path):
    with pytest.raises(subprocess.CalledProcessError) as caught:
        run_settings({"REPERES_VAR_DIR": str(tmp_path), "TASKS_BACKEND": "celery"}, "print(1)")
    assert "TASKS_BACKEND vaut" in caught.value.stderr
