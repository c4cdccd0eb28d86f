-- SQLite's migration 0013 adds the tables a large import is staged in, for SQLite's
-- single write lock. PostgreSQL locks rows, not the database: an import writes into
-- the content tables directly, and other organizations' writes do not wait for it.
-- This migration keeps the two sets numbered alike.
SELECT 1;
