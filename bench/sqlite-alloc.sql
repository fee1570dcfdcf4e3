-- bench/sqlite-alloc.sql - a scripted SQLite workload for bench/run, fed to
-- `sqlite3 :memory:` on stdin after bench/run replaces ROWS_PLACEHOLDER
-- with a row count. In-memory tables, an index, updates that grow rows,
-- deletes, grouping and sorting: SQLite's page cache and every statement's
-- memory come from malloc. The printed results are the checksum.
CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, grp INTEGER, val REAL);
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ROWS_PLACEHOLDER)
INSERT INTO t SELECT i, printf('row-%08d-%x', i, (i * 2654435761) % 1000003),
                     (i * 7919) % 1009, (i % 977) * 0.5 FROM s;
CREATE INDEX t_grp ON t(grp);
CREATE INDEX t_name ON t(name);
UPDATE t SET name = name || '-' || printf('%.*c', id % 40, 'x') WHERE id % 3 = 0;
DELETE FROM t WHERE id % 5 = 0;
SELECT grp, count(*), sum(val) FROM t GROUP BY grp ORDER BY 2 DESC, 1 LIMIT 3;
SELECT count(*), sum(length(name)), max(name) FROM t;
CREATE TABLE u AS SELECT grp, group_concat(name, ';') AS names FROM t GROUP BY grp;
SELECT sum(length(names)) FROM u;
SELECT count(DISTINCT substr(name, 5, 6)) FROM t;
