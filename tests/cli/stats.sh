#!/bin/sh
# selaras stats: counts in text and JSON.
. "$TOP_SRCDIR/tests/cli/lib.sh"
db="$tmp/tm.db"
selaras add --db "$db" "$ID_TXT" "$EN_TXT" >/dev/null || fail "add failed"

expect_status 0 "stats" -- selaras stats --db "$db"
grep -Eq '^documents +1$' "$tmp/out" || fail "documents line: $(cat "$tmp/out")"
grep -Eq '^units +10$' "$tmp/out" || fail "units line"
grep -Eq 'id -> en \(10 units\)' "$tmp/out" || fail "language pair line"

expect_status 0 "stats json" -- selaras stats --db "$db" --format json
if [ -x /usr/bin/python3 ]; then
    /usr/bin/python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["documents"] == 1 and s["units"] == 10, s
assert s["languages"] == [{"src": "id", "tgt": "en", "units": 10}], s
' "$tmp/out" || fail "stats json: $(cat "$tmp/out")"
else
    grep -q '"documents":1,"units":10' "$tmp/out" || fail "stats json: $(cat "$tmp/out")"
fi
# reading leaves no -wal/-shm files behind
selaras lookup --db "$db" "Putin." >/dev/null 2>&1
selaras export --db "$db" >/dev/null 2>&1
for f in "$db-wal" "$db-shm"; do
    [ -e "$f" ] && fail "reading the TM left $f behind"
done

expect_status 1 "stats on a missing TM" -- selaras stats --db "$tmp/none.db"
expect_stderr "none.db"
[ -e "$tmp/none.db" ] && fail "stats created a database"
finish
