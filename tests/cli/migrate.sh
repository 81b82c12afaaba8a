#!/bin/sh
# A version 1 TM is migrated by the first command that opens it (a reader
# too, when the file is writable) and keeps its data; a read-only old file
# is refused; a newer schema is refused, file untouched.
. "$TOP_SRCDIR/tests/cli/lib.sh"
SQLITE3=${SQLITE3:-sqlite3}
command -v "$SQLITE3" >/dev/null 2>&1 || { echo "SKIP: no sqlite3 program"; exit 77; }
db="$tmp/old.db"
"$SQLITE3" "$db" <"$DATA/tm-v1.sql" || exit 99
current=$(selaras --version | sed -n 's/.*TM schema \([0-9]*\)).*/\1/p')
[ -n "$current" ] && [ "$current" -ge 2 ] || fail "selaras --version names no schema >= 2"

# a read-only command on an old TM it cannot write refuses it, untouched
# (permissions do not bind root, so run it as nobody then)
as_user=""
if [ "$(id -u)" -eq 0 ]; then
    command -v setpriv >/dev/null 2>&1 || { echo "SKIP: root without setpriv"; exit 77; }
    as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
    $as_user test -x "$SELARAS" ||
        fail "user nobody cannot run $SELARAS: make its directories world-readable for this test"
fi
mkdir "$tmp/ro"
cp "$db" "$tmp/ro/old.db"
chmod 0444 "$tmp/ro/old.db"
chmod 0555 "$tmp/ro"
chmod 0755 "$tmp"
before=$(fingerprint "$tmp/ro/old.db")
$as_user ${SELARAS_WRAPPER:-} "$SELARAS" stats --db "$tmp/ro/old.db" >"$tmp/out" 2>"$tmp/err"
st=$?
chmod 0755 "$tmp/ro"
[ "$st" -eq 1 ] || fail "stats on a read-only version 1 TM: exit $st, expected 1 ($(cat "$tmp/err"))"
expect_stderr "$tmp/ro/old.db: uses schema 1, older than this version's $current, and the file cannot be written to upgrade it (copy it"
[ "$(fingerprint "$tmp/ro/old.db")" = "$before" ] || fail "a refused read-only open changed the old TM"

# a read-only command on a writable old TM upgrades it and reads it
cp "$db" "$tmp/read.db"
expect_status 0 "stats on a writable version 1 TM" -- selaras stats --db "$tmp/read.db"
grep -q '^units      10$' "$tmp/out" || fail "stats after upgrading on read: $(cat "$tmp/out")"
[ "$("$SQLITE3" "$tmp/read.db" 'pragma user_version')" = "$current" ] || fail "a read did not upgrade the writable old TM"
[ "$("$SQLITE3" "$tmp/read.db" 'pragma integrity_check')" = ok ] || fail "integrity check failed after the upgrade on read"
expect_status 0 "lookup on the upgraded TM" -- selaras lookup --db "$tmp/read.db" --min 1 "$(sed -n 1p "$ID_TXT" | cut -c1-60)"

# the old units as version 1 stored them
"$SQLITE3" "$db" "select s.text || '|' || t.text from units u join segments s on s.id = u.src_segment
  join segments t on t.id = u.tgt_segment order by u.id" >"$tmp/units.before"

# a write (here an import) migrates it
cat >"$tmp/one.tmx" <<'TMX'
<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence"
 o-tmf="t" adminlang="en" srclang="id" datatype="plaintext"/>
<body><tu><prop type="x-kind">baru</prop><tuv xml:lang="id"><seg>Satu kalimat baru.</seg></tuv>
<tuv xml:lang="en"><seg>One new sentence.</seg></tuv></tu></body></tmx>
TMX
expect_status 0 "import into a version 1 TM" -- selaras import --db "$db" "$tmp/one.tmx"
[ "$("$SQLITE3" "$db" 'pragma user_version')" = "$current" ] || fail "user_version is not $current after the migration"
[ "$("$SQLITE3" "$db" 'pragma integrity_check')" = ok ] || fail "integrity check failed after the migration"
[ "$("$SQLITE3" "$db" 'pragma foreign_key_check' | wc -l)" -eq 0 ] || fail "foreign key check failed after the migration"
[ "$("$SQLITE3" "$db" 'select count(*) from units')" = 11 ] || fail "expected 10 old + 1 imported unit"
[ "$("$SQLITE3" "$db" "select group_concat(kind, ',') from documents order by id")" = "pair,tmx" ] ||
    fail "document kinds after the migration: $("$SQLITE3" "$db" 'select kind from documents')"
"$SQLITE3" "$db" "select s.text || '|' || t.text from units u join segments s on s.id = u.src_segment
  join segments t on t.id = u.tgt_segment where u.id <= 10 order by u.id" >"$tmp/units.after"
expect_same "$tmp/units.before" "$tmp/units.after" "the old units after the migration"

# and it now reads, exports with the new details, and re-adds nothing
expect_status 0 "stats after the migration" -- selaras stats --db "$db"
grep -q '^units      11$' "$tmp/out" || fail "stats: $(cat "$tmp/out")"
expect_status 0 "export after the migration" -- selaras export --db "$db" -o "$tmp/all.tmx"
grep -q '<prop type="x-kind">baru</prop>' "$tmp/all.tmx" || fail "the imported prop is not exported"
[ "$(grep -c '<tu ' "$tmp/all.tmx")" -eq 11 ] || fail "export has not 11 units"
expect_status 0 "add the old pair again" -- selaras add --db "$db" "$ID_TXT" "$EN_TXT"
grep -q "already document 1; nothing added" "$tmp/out" || fail "re-adding the v1 pair: $(cat "$tmp/out")"

# a newer schema is refused by every writer and reader, byte for byte untouched
new="$tmp/new.db"
"$SQLITE3" "$new" "pragma application_id = 1397510739; pragma user_version = $((current + 1)); create table x (a);" || exit 99
fp=$(fingerprint "$new")
for cmd in "import --db $new $tmp/one.tmx" "stats --db $new" "add --db $new $ID_TXT $EN_TXT"; do
    # shellcheck disable=SC2086
    expect_status 1 "$cmd on a newer schema" -- selaras $cmd
    expect_stderr "created by a newer selaras (schema $((current + 1)), this version reads up to $current); upgrade selaras"
done
[ "$(fingerprint "$new")" = "$fp" ] || fail "the newer TM was changed"
finish
