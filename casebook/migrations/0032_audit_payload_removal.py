# SPDX-License-Identifier: AGPL-3.0-or-later
"""The one change the audit trail allows: removing an event's personal payload (ADR 0020).

Until now a trigger refused every UPDATE and DELETE of an audit event (migration 0002). The
retention job must drop the payload (reason, before, after) of events about a youth whose
record it anonymised, while the event keeps its place, its seal and its link: the seal covers
the payload only through ``payload_digest`` (migration 0026), so the chain still verifies.

Now UPDATE goes through ``ijam_audit_payload_removal_only``, which lets a row through only
when it *is* that removal and nothing else:

* ``payload_removed_at`` goes from empty to a time (so a removed payload is never filled
  again, and a removal happens once);
* ``reason`` becomes empty and ``before`` and ``after`` become NULL;
* every other column stays exactly as it was (compared as the whole row minus those four,
  so a column a later migration adds is protected without touching this trigger);
* the event is sealed with a key (``key_id`` not empty): an event from before keys carries
  a plain hash over its payload, which cannot go without breaking the chain.

Anything else, and every DELETE, is still refused. The application role gets UPDATE on the
four columns only (``grant_app_role``), so it cannot even try the others.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION ijam_audit_payload_removal_only() RETURNS trigger AS $$
DECLARE
    payload text[] := ARRAY['reason', 'before', 'after', 'payload_removed_at'];
BEGIN
    IF OLD.payload_removed_at IS NULL
       AND NEW.payload_removed_at IS NOT NULL
       AND OLD.key_id <> ''
       AND NEW.reason = '' AND NEW.before IS NULL AND NEW.after IS NULL
       AND (to_jsonb(NEW) - payload) = (to_jsonb(OLD) - payload)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audittrail is alleen-toevoegen: UPDATE op casebook_auditevent is geweigerd '
        '(alleen het eenmalig verwijderen van de persoonsgegevens na de bewaartermijn mag)'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER casebook_auditevent_append_only ON casebook_auditevent;
CREATE TRIGGER casebook_auditevent_append_only
    BEFORE DELETE ON casebook_auditevent
    FOR EACH ROW EXECUTE FUNCTION ijam_audit_append_only();
CREATE TRIGGER casebook_auditevent_payload_removal_only
    BEFORE UPDATE ON casebook_auditevent
    FOR EACH ROW EXECUTE FUNCTION ijam_audit_payload_removal_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS casebook_auditevent_payload_removal_only ON casebook_auditevent;
DROP FUNCTION IF EXISTS ijam_audit_payload_removal_only();
DROP TRIGGER IF EXISTS casebook_auditevent_append_only ON casebook_auditevent;
CREATE TRIGGER casebook_auditevent_append_only
    BEFORE UPDATE OR DELETE ON casebook_auditevent
    FOR EACH ROW EXECUTE FUNCTION ijam_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("casebook", "0031_retention_marks_and_runs")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
