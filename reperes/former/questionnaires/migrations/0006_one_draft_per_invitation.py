import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("questionnaires", "0005_anonymity_data"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='campaigninvitation',
            name='answered_on',
        ),
        migrations.AlterField(
            model_name='draft',
            name='invitation',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='draft', to='questionnaires.campaigninvitation'),
        ),
    ]
