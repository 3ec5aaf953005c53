# SPDX-License-Identifier: AGPL-3.0-or-later
"""The database itself refuses to change or remove audit events."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION ijam_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audittrail is alleen-toevoegen: % op casebook_auditevent is geweigerd', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER casebook_auditevent_append_only
    BEFORE UPDATE OR DELETE ON casebook_auditevent
    FOR EACH ROW EXECUTE FUNCTION ijam_audit_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS casebook_auditevent_append_only ON casebook_auditevent;
DROP FUNCTION IF EXISTS ijam_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("casebook", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
