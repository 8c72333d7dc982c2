"""Fill the derived money totals of an existing database (skipped when it has no
allocations). Later changes keep them by deltas; `manage.py refresh_budget_totals`
rebuilds them at any time."""

from django.db import migrations


def fill(apps, schema_editor):
    if not apps.get_model("budgets", "Allocation").objects.using(schema_editor.connection.alias).exists():
        return
    from budgets.rollups import rebuild

    rebuild(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("budgets", "0004_derived_totals")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
