# SPDX-License-Identifier: AGPL-3.0-or-later
"""Chain audit events when their transaction commits, not when they are inserted (ADR 0010).

Until now a BEFORE INSERT trigger took the chain's advisory lock at the first audit event of a
transaction and held it until commit. A transaction that audited first and locked rows after
(a ladder move cancelling the case's tasks) could then wait for a row held by a transaction
that waited for the chain lock (claiming one of those tasks): a deadlock. Now an event is
inserted with only its digest; a DEFERRABLE INITIALLY DEFERRED constraint trigger appends its
chain link at COMMIT, when the transaction takes no row locks any more. The chain lock is
always the last lock a transaction takes.

* ``casebook_auditchainlink`` (position, event, prev_hash, hash) holds the chain; like the
  events it refuses UPDATE and DELETE. The existing chain is copied into it (position = id)
  in batches of ids, each its own statement.
* ``casebook_auditevent.digest`` holds the SHA-256 of the event's content; ``prev_hash`` and
  ``hash`` move to the link and are dropped from the event.
"""

from django.db import migrations, models

BATCH = 50_000

CHAIN = """
CREATE OR REPLACE FUNCTION ijam_audit_chain_at_commit() RETURNS trigger AS $$
DECLARE
    head_position bigint;
    head_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(1229603149);  -- 0x494A414D, "IJAM": the one chain lock
    SELECT position, hash INTO head_position, head_hash
      FROM casebook_auditchainlink ORDER BY position DESC LIMIT 1;
    head_hash := COALESCE(head_hash, repeat('0', 64));
    INSERT INTO casebook_auditchainlink (position, event_id, prev_hash, hash)
    VALUES (
        COALESCE(head_position, 0) + 1,
        NEW.id,
        head_hash,
        encode(sha256(convert_to(head_hash || NEW.digest, 'UTF8')), 'hex')
    );
    RETURN NULL;
END;
$$ LANGUAGE plpgsql VOLATILE;

DROP TRIGGER IF EXISTS casebook_auditevent_chain ON casebook_auditevent;
DROP FUNCTION IF EXISTS ijam_audit_chain();

CREATE CONSTRAINT TRIGGER casebook_auditevent_chain
    AFTER INSERT ON casebook_auditevent
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ijam_audit_chain_at_commit();

CREATE TRIGGER casebook_auditchainlink_append_only
    BEFORE UPDATE OR DELETE ON casebook_auditchainlink
    FOR EACH ROW EXECUTE FUNCTION ijam_audit_append_only();
"""

UNCHAIN = """
DROP TRIGGER IF EXISTS casebook_auditchainlink_append_only ON casebook_auditchainlink;
DROP TRIGGER IF EXISTS casebook_auditevent_chain ON casebook_auditevent;
DROP FUNCTION IF EXISTS ijam_audit_chain_at_commit();
"""


def copy_chain(apps, schema_editor):
    """The existing chain, in id order, becomes the first links (position = id)."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), -1) FROM casebook_auditevent")
        low, high = cursor.fetchone()
        for start in range(low, high + 1, BATCH):
            cursor.execute(
                "INSERT INTO casebook_auditchainlink (position, event_id, prev_hash, hash) "
                "SELECT id, id, prev_hash, hash FROM casebook_auditevent "
                "WHERE id >= %s AND id < %s ORDER BY id",
                [start, start + BATCH],
            )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("casebook", "0017_group_approach_permission")]

    operations = [
        migrations.CreateModel(
            name="AuditChainLink",
            fields=[
                ("position", models.BigIntegerField(primary_key=True, serialize=False)),
                ("prev_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64, unique=True)),
                (
                    "event",
                    models.OneToOneField(
                        on_delete=models.deletion.PROTECT,
                        related_name="chain_link",
                        to="casebook.auditevent",
                    ),
                ),
            ],
            options={
                "verbose_name": "schakel van de audittrail",
                "verbose_name_plural": "schakels van de audittrail",
                "ordering": ["position"],
            },
        ),
        migrations.RunPython(copy_chain, migrations.RunPython.noop),
        migrations.AddField(
            model_name="auditevent",
            name="digest",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunSQL(CHAIN, UNCHAIN),
        migrations.RemoveField(model_name="auditevent", name="prev_hash"),
        migrations.RemoveField(model_name="auditevent", name="hash"),
    ]
