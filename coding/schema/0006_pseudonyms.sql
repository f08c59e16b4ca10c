-- Version 6: pseudonym entries in force.
-- The pseudonym key (real value -> pseudonym) lives outside the project
-- folder; the project records only which of its entries are in force,
-- by the entry's id, with the pseudonym (a bracketed tag, never a real
-- value), the kind of value and the document the entry is limited to
-- ('' for every document). Adding and removing an entry are actions like
-- any other, so undo and redo work on them.
CREATE TABLE pseudonym_entries (
    id        INTEGER PRIMARY KEY,
    entry_id  TEXT    NOT NULL UNIQUE,
    pseudonym TEXT    NOT NULL CHECK (pseudonym LIKE '[%]'),
    kind      TEXT    NOT NULL CHECK (kind IN ('person', 'place', 'org', 'other')),
    doc       TEXT    NOT NULL DEFAULT ''
);

CREATE TRIGGER pseudonym_entries_ins AFTER INSERT ON pseudonym_entries
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'pseudonym_entries', NEW.id, NULL,
        json_object('id', NEW.id, 'entry_id', NEW.entry_id, 'pseudonym', NEW.pseudonym,
            'kind', NEW.kind, 'doc', NEW.doc)
    FROM op_state;
END;
CREATE TRIGGER pseudonym_entries_upd AFTER UPDATE ON pseudonym_entries
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'pseudonym_entries', NEW.id,
        json_object('id', OLD.id, 'entry_id', OLD.entry_id, 'pseudonym', OLD.pseudonym,
            'kind', OLD.kind, 'doc', OLD.doc),
        json_object('id', NEW.id, 'entry_id', NEW.entry_id, 'pseudonym', NEW.pseudonym,
            'kind', NEW.kind, 'doc', NEW.doc)
    FROM op_state;
END;
CREATE TRIGGER pseudonym_entries_del AFTER DELETE ON pseudonym_entries
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'pseudonym_entries', OLD.id,
        json_object('id', OLD.id, 'entry_id', OLD.entry_id, 'pseudonym', OLD.pseudonym,
            'kind', OLD.kind, 'doc', OLD.doc),
        NULL
    FROM op_state;
END;
