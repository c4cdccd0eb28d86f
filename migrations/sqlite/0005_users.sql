-- The Users tab: the ID a publisher gives a user in their own systems.
ALTER TABLE users ADD COLUMN publisher_user_id TEXT CHECK (publisher_user_id IS NULL OR length(publisher_user_id) BETWEEN 1 AND 100);
CREATE INDEX users_by_account_role ON users (account_id, role, status);
