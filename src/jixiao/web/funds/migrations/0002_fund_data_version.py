# ruff: noqa: RUF012
"""Fund.data_version: the key under which the dashboard caches a fund's evaluation."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("funds", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="fund",
            name="data_version",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
    ]
