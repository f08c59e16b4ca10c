-- Version 7: an index of documents by source file name, so that the
-- sweep of sources/ on opening a project reads a few index pages
-- instead of every document's row (milliseconds on a large project,
-- paid by every command).
CREATE INDEX documents_source ON documents (source);
