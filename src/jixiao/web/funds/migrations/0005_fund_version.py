# ruff: noqa: RUF012
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('funds', '0004_fund_archived'),
    ]

    operations = [
        migrations.AddField(
            model_name='fund',
            name='version',
            field=models.PositiveIntegerField(default=1),
        ),
    ]
