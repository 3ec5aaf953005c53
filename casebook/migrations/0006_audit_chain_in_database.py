# SPDX-License-Identifier: AGPL-3.0-or-later
"""Chain audit events in the database, in the one INSERT that stores them.

A BEFORE INSERT trigger takes the chain's transaction-level advisory lock, gives the event the
next id (so ids follow chain order even when transactions interleave), reads the hash of the
newest event, and sets ``prev_hash`` and ``hash = sha256(prev_hash || content_hash)``. Python
supplies the content hash (SHA-256 over the event's canonical JSON) in the ``hash`` column.
One statement per event, and no window between reading the head and appending to it.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION ijam_audit_chain() RETURNS trigger AS $$
DECLARE
    head text;
BEGIN
    PERFORM pg_advisory_xact_lock(1229603149);  -- 0x494A414D, "IJAM"
    NEW.id := nextval(pg_get_serial_sequence('casebook_auditevent', 'id'));
    SELECT hash INTO head FROM casebook_auditevent ORDER BY id DESC LIMIT 1;
    NEW.prev_hash := COALESCE(head, repeat('0', 64));
    NEW.hash := encode(sha256(convert_to(NEW.prev_hash || NEW.hash, 'UTF8')), 'hex');
    RETURN NEW;
END;
$$ LANGUAGE plpgsql VOLATILE;

CREATE TRIGGER casebook_auditevent_chain
    BEFORE INSERT ON casebook_auditevent
    FOR EACH ROW EXECUTE FUNCTION ijam_audit_chain();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS casebook_auditevent_chain ON casebook_auditevent;
DROP FUNCTION IF EXISTS ijam_audit_chain();
"""


class Migration(migrations.Migration):
    dependencies = [("casebook", "0005_reference_data")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
