#!/bin/sh
# Bad-input matrix, where the TMX goes: a directory, a missing directory,
# special files (written in place, never replaced by a rename), symbolic
# links (kept), a device that is full.  The TM is never touched.
. "$TOP_SRCDIR/tests/cli/lib.sh"
. "$TOP_SRCDIR/tests/cli/bad-lib.sh"
db="$tmp/tm.db"
make_tm "$db"
export_to() { selaras export --db "$db" -o "$@"; }
selaras export --db "$db" -o "$tmp/ref.tmx" >/dev/null || fail "reference export"
# the same TMX but for the creation dates
undated() { sed 's/creationdate="[0-9TZ]*"//' "$1"; }
undated "$tmp/ref.tmx" >"$tmp/ref.undated"

mkdir "$tmp/dir"
row "a directory" 1 "dir: is a directory (give a file name)" "$db" -- export_to "$tmp/dir"
[ -z "$(ls "$tmp/dir")" ] || fail "something was written into the directory: $(ls "$tmp/dir")"
row "a missing directory" 1 "nodir/x.tmx: cannot create a temporary file beside it: No such file or directory" "$db" -- \
    export_to "$tmp/nodir/x.tmx"

# the files SQLite keeps beside the TM: a TMX renamed over the -wal was
# deleted when the TM closed, after "written to" had been printed
for suffix in -wal -shm -journal; do
    row "the TM's $suffix" 1 "tm.db$suffix: is a file SQLite keeps beside the translation memory (give another file name)" "$db" -- \
        export_to "$db$suffix"
done
row "the TM itself" 1 "tm.db: is the translation memory itself (give another file name)" "$db" -- export_to "$tmp/./tm.db"
row "review page onto the TM's -wal" 1 "tm.db-wal: is a file SQLite keeps beside the translation memory" "$db" -- \
    selaras review --db "$db" --doc 1 -o "$db-wal"

# a FIFO: the reader gets the whole TMX, the FIFO stays a FIFO
mkfifo "$tmp/fifo"
(timeout 60 cat "$tmp/fifo" >"$tmp/fifo.out") &
row "a FIFO" 0 "" "$db" -- timeout 60 ${SELARAS_WRAPPER:-} "$SELARAS" export --db "$db" -o "$tmp/fifo"
wait
[ -p "$tmp/fifo" ] || fail "the FIFO was replaced"
undated "$tmp/fifo.out" >"$tmp/fifo.undated"
expect_same "$tmp/ref.undated" "$tmp/fifo.undated" "TMX read from the FIFO"

# a symbolic link stays a link to the file, which gets the new TMX
echo old >"$tmp/target.tmx"
ln -s target.tmx "$tmp/link.tmx"
row "a symbolic link" 0 "" "$db" -- export_to "$tmp/link.tmx"
[ -L "$tmp/link.tmx" ] || fail "the link was replaced by a file"
undated "$tmp/target.tmx" >"$tmp/target.undated"
expect_same "$tmp/ref.undated" "$tmp/target.undated" "TMX written through the link"
ls "$tmp" | grep -q 'tmp-' && fail "a temporary file was left: $(ls "$tmp")"

# devices (only root may make them): written in place, never replaced
if [ "$(id -u)" -eq 0 ] && mknod "$tmp/null" c 1 3 2>/dev/null && mknod "$tmp/full" c 1 7 2>/dev/null; then
    row "a device" 0 "" "$db" -- export_to "$tmp/null"
    [ -c "$tmp/null" ] || fail "the device was replaced by a file"
    row "a full device" 1 "full: .*No space left on device (free some space and try again)" "$db" -- export_to "$tmp/full"
    [ -c "$tmp/full" ] || fail "the full device was replaced by a file"
else
    echo "note: not root; the device rows need mknod"
fi
ls "$tmp" | grep -q 'tmp-' && fail "a temporary file was left: $(ls "$tmp")"
finish
