# ruff: noqa: E501, RUF012
# Written for Django 5.2 (makemigrations output for this app only; it depends on the funds
# migration already applied, not on any pending funds change).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('funds', '0002_fund_data_version'),
        ('rectification', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='rectificationitem',
            name='carried_from',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='carried_to', to='rectification.rectificationitem', verbose_name='上年度问题'),
        ),
        migrations.AddField(
            model_name='rectificationitem',
            name='recipient',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='rectification_items', to='funds.recipient', verbose_name='责任单位'),
        ),
    ]
