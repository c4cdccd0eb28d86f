-- The refusal cap counts a caller's recent refusals: a short range of this index.
CREATE INDEX audit_log_refusals_by_caller ON audit_log (actor, address, at) WHERE outcome <> 'done';
