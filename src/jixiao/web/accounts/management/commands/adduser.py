"""``python -m jixiao.web adduser USERNAME --role ROLE [--fund ID] [--recipient ID]
[--password-stdin]``: create a user and its membership (or add a membership to an existing
user). Bad input exits with code 2 and a Chinese message, never a traceback."""

from __future__ import annotations

import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.web.accounts import usecases
from jixiao.web.accounts.roles import ROLE_LABELS
from jixiao.web.kernel.errors import Code, Refusal, Refused


class Command(BaseCommand):
    help = "创建用户并授予角色（已存在的用户则只增加角色）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True,
                            help="角色：" + "、".join(f"{k}={v}" for k, v in ROLE_LABELS.items()))
        parser.add_argument("--fund", help="资金 id（预算单位、帮扶市、县、工作队必填）")
        parser.add_argument("--recipient",
                            help="资金使用单位的 id 或标识（帮扶市、县、工作队必填）")
        parser.add_argument("--password-stdin", action="store_true",
                            help="从标准输入读取密码（一行）；不给则账号暂不能登录")

    def handle(self, *args: Any, **opts: Any) -> None:
        username, role = opts["username"], opts["role"]
        password = None
        if opts["password_stdin"]:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("标准输入中没有密码", returncode=2)
        existing = get_user_model().objects.filter(username=username).first()
        try:
            if existing is not None:
                if password is not None:
                    raise Refused(Code.DUPLICATE,
                                  f"用户已存在：{username}（改密码请用 changepassword）")
                usecases.add_membership(None, existing, role, opts["fund"], opts["recipient"])
                self.stdout.write(f"已为用户 {username} 增加角色：{ROLE_LABELS[role]}")
                return
            usecases.create_user(None, username, role, opts["fund"], opts["recipient"],
                                 password)
        except Refusal as refused:
            raise CommandError(refused.message, returncode=2) from None
        self.stdout.write(f"已创建用户 {username}，角色：{ROLE_LABELS[role]}")
        if password is None:
            self.stdout.write("该用户还没有密码，请运行：python -m jixiao.web changepassword "
                              + username)
