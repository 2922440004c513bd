-- Operator actions in the audit chain: who did it (the operator's name as signed in) and why (the reason given).
-- Both are empty on every other entry; an entry's hash covers them only when one of them is set, so the hashes of
-- the entries written before this column existed stay what they were.
ALTER TABLE audit_entry ADD COLUMN operator VARCHAR(128);
ALTER TABLE audit_entry ADD COLUMN reason VARCHAR(500);
