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
  events it refuses UPDATE and DELETE.
* ``casebook_auditevent.digest`` holds the SHA-256 of the event's content; ``prev_hash`` and
  ``hash`` move to the link and are dropped from the event. Events chained before this
  migration keep an empty digest: verification recomputes every event's content anyway.

The existing chain is copied in id order (the old trigger numbered events in chain order, but
took two values of the sequence per event, so ids have gaps): positions are counted 1, 2, 3…
The copy runs in batches, each its own statement, while IJAM may keep writing: the digest
column has a database default until the switch, so the running version can still insert. The
switch is one short transaction that locks both tables, copies the events written meanwhile,
installs the new trigger and drops the old columns; a version that still writes the old
columns then fails loudly instead of writing events the chain cannot verify.

Backwards, the hashes return to the events and the old trigger is restored. The old verifier
walks events in id order; events whose commit order differed from their id order (possible
since this migration) then show as a break there.
"""

from django.db import OperationalError, migrations, models, transaction

BATCH = 50_000
SWITCH_ATTEMPTS = 5
LOCK_NOT_AVAILABLE = "55P03"  # lock_timeout passed

NEW_TRIGGER = """
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

ALTER TABLE casebook_auditevent ALTER COLUMN digest DROP DEFAULT;
ALTER TABLE casebook_auditevent DROP COLUMN prev_hash, DROP COLUMN hash;
"""

#: Migration 0006's trigger, as it was.
OLD_TRIGGER = """
DROP TRIGGER IF EXISTS casebook_auditchainlink_append_only ON casebook_auditchainlink;
DROP TRIGGER IF EXISTS casebook_auditevent_chain ON casebook_auditevent;
DROP FUNCTION IF EXISTS ijam_audit_chain_at_commit();

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

ALTER TABLE casebook_auditevent ALTER COLUMN digest SET DEFAULT '';
"""

COPY_BATCH = """
INSERT INTO casebook_auditchainlink (position, event_id, prev_hash, hash)
SELECT %s + row_number() OVER (ORDER BY id), id, prev_hash, hash
  FROM (SELECT id, prev_hash, hash FROM casebook_auditevent
         WHERE id > %s ORDER BY id LIMIT %s) AS batch
"""


def _copy_from(cursor, batch: int | None) -> int:
    """Copy the events after the last copied one (at most ``batch``); how many were copied."""
    cursor.execute(
        "SELECT COALESCE(MAX(position), 0), COALESCE(MAX(event_id), 0) FROM casebook_auditchainlink"
    )
    position, last_id = cursor.fetchone()
    cursor.execute(COPY_BATCH, [position, last_id, batch])
    return cursor.rowcount


def copy_and_switch(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        while _copy_from(cursor, BATCH) == BATCH:  # autocommit: each batch its own statement
            pass
    for attempt in range(1, SWITCH_ATTEMPTS + 1):
        try:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                # Wait for transactions still writing events, never longer than five seconds,
                # so the migration cannot stall IJAM behind it; then retry.
                cursor.execute("SET LOCAL lock_timeout = '5s'")
                cursor.execute(
                    "LOCK TABLE casebook_auditevent, casebook_auditchainlink "
                    "IN ACCESS EXCLUSIVE MODE"
                )
                _copy_from(cursor, None)
                cursor.execute(NEW_TRIGGER)
            return
        except OperationalError as error:
            busy = getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE
            if not busy or attempt == SWITCH_ATTEMPTS:
                raise


def switch_back(apps, schema_editor):
    AuditEvent = apps.get_model("casebook", "AuditEvent")
    like = schema_editor._create_index_name(AuditEvent._meta.db_table, ["hash"], suffix="_like")
    with (
        transaction.atomic(using=schema_editor.connection.alias),
        schema_editor.connection.cursor() as cursor,
    ):
        cursor.execute(
            "LOCK TABLE casebook_auditevent, casebook_auditchainlink IN ACCESS EXCLUSIVE MODE"
        )
        cursor.execute(
            "ALTER TABLE casebook_auditevent "
            "ADD COLUMN prev_hash varchar(64) NOT NULL DEFAULT '', "
            "ADD COLUMN hash varchar(64) NOT NULL DEFAULT ''"
        )
        cursor.execute(
            "ALTER TABLE casebook_auditevent DISABLE TRIGGER casebook_auditevent_append_only"
        )
        cursor.execute(
            "UPDATE casebook_auditevent AS event SET prev_hash = link.prev_hash, hash = link.hash "
            "FROM casebook_auditchainlink AS link WHERE link.event_id = event.id"
        )
        cursor.execute(
            "ALTER TABLE casebook_auditevent ENABLE TRIGGER casebook_auditevent_append_only"
        )
        # As migration 0001 made them: no defaults, a unique constraint and a LIKE index.
        cursor.execute(
            "ALTER TABLE casebook_auditevent ALTER COLUMN prev_hash DROP DEFAULT, "
            "ALTER COLUMN hash DROP DEFAULT, "
            "ADD CONSTRAINT casebook_auditevent_hash_key UNIQUE (hash)"
        )
        cursor.execute(f'CREATE INDEX "{like}" ON casebook_auditevent (hash varchar_pattern_ops)')
        cursor.execute(OLD_TRIGGER)


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
        migrations.SeparateDatabaseAndState(
            # A default until the switch, so the version still running can insert events.
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE casebook_auditevent "
                    "ADD COLUMN digest varchar(64) NOT NULL DEFAULT ''",
                    "ALTER TABLE casebook_auditevent DROP COLUMN digest",
                )
            ],
            state_operations=[
                migrations.AddField(
                    model_name="auditevent",
                    name="digest",
                    field=models.CharField(default="", max_length=64),
                    preserve_default=False,
                )
            ],
        ),
        migrations.RunPython(copy_and_switch, switch_back),
        migrations.SeparateDatabaseAndState(
            # Dropped by the switch, in the transaction that installs the new trigger.
            state_operations=[
                migrations.RemoveField(model_name="auditevent", name="prev_hash"),
                migrations.RemoveField(model_name="auditevent", name="hash"),
            ],
        ),
    ]
