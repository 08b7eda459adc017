# ruff: noqa: RUF012
"""Indicator.rule and Spending.extra: the dossier fields without a column of their own (the rule
kinds' settings, carried_over), so importing loses none; the township recipient kind."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("funds", "0002_fund_data_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="rule",
            field=models.JSONField(default=dict, verbose_name="计分规则"),
        ),
        migrations.AddField(
            model_name="spending",
            name="extra",
            field=models.JSONField(default=dict),
        ),
        migrations.AlterField(
            model_name="recipient",
            name="kind",
            field=models.CharField(
                choices=[
                    ("province", "省"), ("city", "帮扶市"), ("county", "县"),
                    ("township", "乡镇"), ("work_team", "工作队"), ("unit", "单位"),
                ],
                max_length=16,
                verbose_name="类型",
            ),
        ),
    ]
