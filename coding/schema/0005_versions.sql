-- Version 5: codings carried into a new version of their document.
-- When a changed text becomes a new version, every coding of the old
-- version is aligned with the new text: it moves there (its row keeps
-- its id and GUID, only doc_id, start and end change) unchanged or with
-- an edit inside it, or it stays on the old version as an orphan when
-- its text is gone. Each such decision is a row here, so the old place
-- (and a quote id made from it) and the "changed" mark are kept.
-- No foreign keys: a coding removed later leaves its rows behind, and
-- readers match coding_id together with coding_guid.
CREATE TABLE carried (
    id          INTEGER PRIMARY KEY,
    coding_id   INTEGER NOT NULL,
    coding_guid TEXT    NOT NULL,
    from_doc    INTEGER NOT NULL, -- the old version
    from_start  INTEGER NOT NULL,
    from_end    INTEGER NOT NULL,
    to_doc      INTEGER NOT NULL, -- the new version
    status      TEXT    NOT NULL CHECK (status IN ('moved', 'changed', 'orphaned')),
    old_text    TEXT    NOT NULL,
    new_text    TEXT    NOT NULL  -- '' for an orphan
);
CREATE INDEX carried_coding ON carried (coding_id);
CREATE INDEX carried_from ON carried (from_doc);

-- carried
CREATE TRIGGER carried_ins AFTER INSERT ON carried
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'carried', NEW.id, NULL,
        json_object('id', NEW.id, 'coding_id', NEW.coding_id, 'coding_guid', NEW.coding_guid,
            'from_doc', NEW.from_doc, 'from_start', NEW.from_start, 'from_end', NEW.from_end,
            'to_doc', NEW.to_doc, 'status', NEW.status, 'old_text', NEW.old_text, 'new_text', NEW.new_text)
    FROM op_state;
END;
CREATE TRIGGER carried_upd AFTER UPDATE ON carried
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'carried', NEW.id,
        json_object('id', OLD.id, 'coding_id', OLD.coding_id, 'coding_guid', OLD.coding_guid,
            'from_doc', OLD.from_doc, 'from_start', OLD.from_start, 'from_end', OLD.from_end,
            'to_doc', OLD.to_doc, 'status', OLD.status, 'old_text', OLD.old_text, 'new_text', OLD.new_text),
        json_object('id', NEW.id, 'coding_id', NEW.coding_id, 'coding_guid', NEW.coding_guid,
            'from_doc', NEW.from_doc, 'from_start', NEW.from_start, 'from_end', NEW.from_end,
            'to_doc', NEW.to_doc, 'status', NEW.status, 'old_text', NEW.old_text, 'new_text', NEW.new_text)
    FROM op_state;
END;
CREATE TRIGGER carried_del AFTER DELETE ON carried
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'carried', OLD.id,
        json_object('id', OLD.id, 'coding_id', OLD.coding_id, 'coding_guid', OLD.coding_guid,
            'from_doc', OLD.from_doc, 'from_start', OLD.from_start, 'from_end', OLD.from_end,
            'to_doc', OLD.to_doc, 'status', OLD.status, 'old_text', OLD.old_text, 'new_text', OLD.new_text),
        NULL
    FROM op_state;
END;

-- Imports are actions now (undo removes what an import added), so the
-- path a document came from is in the history too. No id column: row_id
-- is the document's id.
CREATE TRIGGER document_origins_ins AFTER INSERT ON document_origins
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'document_origins', NEW.doc_id, NULL,
        json_object('doc_id', NEW.doc_id, 'path', NEW.path)
    FROM op_state;
END;
CREATE TRIGGER document_origins_upd AFTER UPDATE ON document_origins
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'document_origins', NEW.doc_id,
        json_object('doc_id', OLD.doc_id, 'path', OLD.path),
        json_object('doc_id', NEW.doc_id, 'path', NEW.path)
    FROM op_state;
END;
CREATE TRIGGER document_origins_del AFTER DELETE ON document_origins
WHEN (SELECT op_id FROM op_state) IS NOT NULL BEGIN
    INSERT INTO changes (op_id, tbl, row_id, before, after)
    SELECT op_id, 'document_origins', OLD.doc_id,
        json_object('doc_id', OLD.doc_id, 'path', OLD.path),
        NULL
    FROM op_state;
END;
