"""Production flags on top of `settings`: HTTPS only, secure cookies, HSTS, a real secret.

Use: DJANGO_SETTINGS_MODULE=jixiao.web.settings_production with JIXIAO_SECRET_KEY,
JIXIAO_ALLOWED_HOSTS and DATABASE_URL set (see docs/WEB.md).
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from jixiao.web.settings import *  # noqa: F403

if not os.environ.get("JIXIAO_SECRET_KEY"):
    raise ImproperlyConfigured("生产环境须设置 JIXIAO_SECRET_KEY")
SECRET_KEY = os.environ["JIXIAO_SECRET_KEY"]
DEBUG = False

SECURE_SSL_REDIRECT = os.environ.get("JIXIAO_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
