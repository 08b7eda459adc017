"""``python -m jixiao.web apitoken issue USERNAME --name NAME [--scope read|write] [--days 90]``
prints a new personal API token (shown this once: only its hash is stored);
``apitoken revoke PREFIX`` revokes it; ``apitoken list [USERNAME]`` lists tokens (never a
secret). Bad input exits with code 2 and a Chinese message, never a traceback."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.web.accounts import usecases
from jixiao.web.accounts.models import DEFAULT_DAYS, READ, WRITE, ApiToken
from jixiao.web.kernel.errors import Refusal


class Command(BaseCommand):
    help = "创建、吊销或列出 API 令牌"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="为用户创建令牌（令牌只显示这一次）")
        issue.add_argument("username")
        issue.add_argument("--name", required=True, help="令牌名称（如调用它的系统）")
        issue.add_argument("--scope", choices=[READ, WRITE], default=READ,
                           help="read=只读（默认），write=读写")
        issue.add_argument("--days", default=str(DEFAULT_DAYS),
                           help=f"有效天数（默认 {DEFAULT_DAYS}）")
        revoke = sub.add_parser("revoke", help="吊销令牌")
        revoke.add_argument("prefix", help="令牌前缀（list 中显示的，如 jx_AbCd1234）")
        listing = sub.add_parser("list", help="列出令牌")
        listing.add_argument("username", nargs="?")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, "_" + opts["action"])(opts)
        except Refusal as refused:
            raise CommandError(refused.message, returncode=2) from None

    def _issue(self, opts: dict[str, Any]) -> None:
        owner = get_user_model().objects.filter(username=opts["username"]).first()
        if owner is None:
            raise CommandError(f"用户不存在：{opts['username']}", returncode=2)
        token, key = usecases.issue_token(None, owner, opts["name"], opts["scope"], opts["days"])
        self.stderr.write(f"已为 {owner.username} 创建令牌 {token}（{token.scope}，"
                          f"{token.expires:%Y-%m-%d} 到期）；令牌只显示这一次：")
        self.stdout.write(key)

    def _revoke(self, opts: dict[str, Any]) -> None:
        prefix = opts["prefix"].rstrip("…").strip()
        found = list(ApiToken.objects.select_related("user").filter(prefix=prefix)[:2]) if (
            prefix) else []
        if len(found) != 1:
            raise CommandError(f"没有唯一的令牌前缀为：{prefix[:50]}" if found
                               else f"没有前缀为 {prefix[:50]} 的令牌", returncode=2)
        usecases.revoke_token(None, found[0])
        self.stdout.write(f"已吊销令牌：{found[0]}（{found[0].user.username}）")

    def _list(self, opts: dict[str, Any]) -> None:
        rows = ApiToken.objects.select_related("user").order_by("-created")
        if opts["username"]:
            rows = rows.filter(user__username=opts["username"])
        for t in rows:
            state = "已吊销" if t.revoked else ("有效" if t.active else "已过期")
            self.stdout.write(f"{t.prefix}\t{t.user.username}\t{t.name}\t{t.scope}\t"
                              f"{t.expires:%Y-%m-%d}\t{state}")
