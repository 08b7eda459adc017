"""Settings for the laptop case (SQLite in the user's data directory) and, through the
environment, for servers. ``jixiao.web.settings_production`` turns on the deployment flags.

Environment: DATABASE_URL (postgres://…), JIXIAO_DATA_DIR, JIXIAO_SECRET_KEY,
JIXIAO_ALLOWED_HOSTS (comma separated), JIXIAO_DEBUG=1, JIXIAO_CACHE_URL (redis://…),
JIXIAO_TASKS (the task engine: database, redis://…, immediate), JIXIAO_TASK_LEASE_SECONDS.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from jixiao.web.paths import data_dir, secret_key

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

DEBUG = os.environ.get("JIXIAO_DEBUG") == "1"
SECRET_KEY = os.environ.get("JIXIAO_SECRET_KEY") or secret_key(DATA_DIR)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("JIXIAO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("JIXIAO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "jixiao.web.accounts",
    "jixiao.web.funds",
    "jixiao.web.rectification",
    "jixiao.web.audit",
    "jixiao.web.api",
    "jixiao.web.jobs",
    "jixiao.web.review",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jixiao.web.middleware.LoginRequired",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jixiao.web.accounts.middleware.PasswordChangeRequired",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jixiao.web.kernel.pages.RefusalMiddleware",
]

ROOT_URLCONF = "jixiao.web.urls"
WSGI_APPLICATION = "jixiao.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jixiao.web.accounts.context.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'jixiao.sqlite3'}",
        conn_max_age=int(os.environ.get("JIXIAO_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("TEST", {})
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Writers wait for each other instead of failing (`jixiao serve` runs several threads and
    # the ledger import writes from one), and take the write lock when a transaction starts,
    # so two cannot deadlock on upgrade. WAL lets pages be read while someone writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE",
         "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # Tests use a file too, like a real install: an in-memory shared-cache database fails at
    # once where a file waits for its lock.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The dashboard keeps each fund's evaluation per data version (funds/access.py). Local memory
# by default (per process); JIXIAO_CACHE_URL=redis://127.0.0.1:6379/1 shares it between
# gunicorn workers.
CACHE_URL = os.environ.get("JIXIAO_CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jixiao"}
}

# Background work (ledger imports, 复核) runs on Django's task framework: the `django-tasks`
# backport of Django 6's django.tasks API (web/jobs/compat.py). JIXIAO_TASKS selects the engine:
# unset or "database": the database backend (django-tasks-db), jobs are rows of this database
# and `jixiao serve` starts its worker processes; "redis://host:6379/0": RQ on Redis
# (django-tasks-rq), workers started with `python -m jixiao.web worker` on any machine;
# "immediate": run at once in the caller (tests). docs/WEB.md "Tasks".
TASK_QUEUES = ["default", "review"]  # ledger imports; 复核 runs (long)
TASKS_ENGINE = os.environ.get("JIXIAO_TASKS", "database").strip() or "database"
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
if TASKS_ENGINE.startswith(("redis://", "rediss://", "unix://")):
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}
    # RQ stops a job past its queue's timeout (seconds); a 复核 of a large pile takes long.
    RQ_QUEUES = {
        "default": {"URL": TASKS_ENGINE, "DEFAULT_TIMEOUT": 3600},
        "review": {"URL": TASKS_ENGINE, "DEFAULT_TIMEOUT": 6 * 3600},
    }
elif TASKS_ENGINE == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                         "QUEUES": TASK_QUEUES}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
# A running job's worker writes a heartbeat every few seconds; a job without one for this long
# (or whose worker process is gone) is retried or failed with a reason (web/jobs/lease.py).
JIXIAO_TASK_LEASE_SECONDS = int(os.environ.get("JIXIAO_TASK_LEASE_SECONDS", "120"))
# 复核 uploads: how many files one upload may carry (each within JIXIAO_MAX_UPLOAD_BYTES).
DATA_UPLOAD_MAX_NUMBER_FILES = 200

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "jixiao.web.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jixiao.web.accounts.validators.NotOnlySpacesValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:index"  # what the user must do next (web/home)
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failed logins: per user name, and per client address (an office
# behind one address has several users, so it gets more attempts).
JIXIAO_LOCKOUT_ATTEMPTS = 5
JIXIAO_LOCKOUT_ADDRESS_ATTEMPTS = 20
JIXIAO_LOCKOUT_MINUTES = 15

# Sessions end after 8 idle hours and when the browser closes.
SESSION_COOKIE_AGE = 8 * 3600
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("JIXIAO_STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise wants it even when empty
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # `jixiao serve` works without collectstatic
MEDIA_ROOT = Path(os.environ.get("JIXIAO_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: evidence goes through a permission check

# Uploads: dossiers, 自评表 and evidence files.
JIXIAO_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # a refused request (4xx) is one line, its traceback left out (`web/logs.py`)
    "filters": {"client_errors": {"()": "jixiao.web.logs.ClientErrorsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors"]}},
    "loggers": {"django": {"handlers": ["console"], "level": "WARNING"}},
}
CSRF_FAILURE_VIEW = "jixiao.web.errors.csrf_failure"
