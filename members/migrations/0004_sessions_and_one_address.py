"""Confidentiality against an insider (see members/accounts.py and members/sessions.py).

1. Every session is deleted: they were keyed by their cookie values, held their data
   readable, and some held raw invitation tokens. Everyone signs in again once; the
   new store keeps neither keys nor readable data.
2. One address per account: every address that is not an account's primary one goes.
   An unverified one never proved anything (it is how an insider blocked or captured an
   invitee's address); a verified secondary one is dropped too, so that each account
   has exactly the address it signs in with.
3. Each account's login address (User.email) is its primary address.
"""

from django.db import migrations


def forward(apps, schema_editor):
    Session = apps.get_model("sessions", "Session")
    EmailAddress = apps.get_model("account", "EmailAddress")
    User = apps.get_model("members", "User")

    Session.objects.all().delete()
    EmailAddress.objects.filter(primary=False).delete()
    for address in EmailAddress.objects.filter(primary=True, verified=True).select_related("user"):
        email = address.email.lower()
        taken = User.objects.filter(email__iexact=email).exclude(pk=address.user_id).exists()
        if address.user.email.lower() != email and not taken:
            address.user.email = email
            address.user.save(update_fields=["email"])


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_user_email_meeting_updates_user_email_pulse_and_more"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
