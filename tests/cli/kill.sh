#!/bin/sh
# Crash safety: kill -9 'selaras add', 'selaras add --batch' (20 documents
# per run), 'selaras import' (a generated TMX of 3000 units) and 'selaras
# export' at random moments.  After every kill the
# TM passes the integrity check and holds each interrupted document
# completely or not at all, and the export's final
# name holds nothing or a complete TMX, never a truncated one.
# CRASH_TRIALS (default 10, 4 under valgrind; make check-crash: 100) trials
# of each.
. "$TOP_SRCDIR/tests/cli/lib.sh"
SQLITE3=${SQLITE3:-sqlite3}
command -v "$SQLITE3" >/dev/null 2>&1 || { echo "SKIP: no sqlite3 shell"; exit 77; }
# under valgrind a trial takes some 20 s, so fewer there
if [ -n "${SELARAS_WRAPPER:-}" ]; then trials=${CRASH_TRIALS:-4}; else trials=${CRASH_TRIALS:-10}; fi
db="$tmp/tm.db"
seed=${CRASH_SEED:-$$}
echo "trials: $trials, seed: $seed"

# delays K MAX: K random delays in [0, MAX) seconds, one a line
delays() { awk -v n="$1" -v max="$2" -v s="$seed" 'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%.3f\n", rand() * max }'; }

# document K: 150 sentences of its own on each side
make_doc() {
    awk -v k="$1" 'BEGIN { for (j = 1; j <= 150; j++) printf "Dokumen %d memuat kalimat ke-%d tentang hal yang lain sama sekali.\n", k, j }' >"$tmp/d$1.id"
    awk -v k="$1" 'BEGIN { for (j = 1; j <= 150; j++) printf "Document %d holds sentence %d about something else entirely.\n", k, j }' >"$tmp/d$1.en"
}

# window WHAT CMD...: times one run of CMD and prints 1.3 times that, the
# window in which the trials kill it
window() {
    what=$1
    shift
    t0=$(date +%s%N)
    ${SELARAS_WRAPPER:-} "$SELARAS" "$@" >/dev/null 2>&1 || fail "timing run: $*"
    t1=$(date +%s%N)
    awk -v a="$t0" -v b="$t1" -v w="$what" 'BEGIN {
        t = (b - a) / 1e9; printf "%s takes %.3f s; kills within %.3f s\n", w, t, t * 1.3 > "/dev/stderr"
        printf "%.3f\n", t * 1.3 }'
}

# kill_after DELAY CMD...: starts selaras CMD, kills it with -9 after DELAY
kill_after() {
    delay=$1
    shift
    ${SELARAS_WRAPPER:-} "$SELARAS" "$@" >/dev/null 2>"$tmp/killed.err" &
    pid=$!
    sleep "$delay"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
}

# intact WHAT: the TM passes SQLite's integrity check after a kill
intact() {
    check=$("$SQLITE3" "$db" 'pragma integrity_check')
    [ "$check" = ok ] && return 0
    fail "$1 (kill after $delay s): integrity check: $check"
    return 1
}

"$SELARAS" add --db "$db" "$ID_TXT" "$EN_TXT" >/dev/null || fail "first add"
make_doc 0
cp "$db" "$tmp/timing.db"
w=$(window add add --db "$tmp/timing.db" "$tmp/d0.id" "$tmp/d0.en")
committed=0 rolled_back=0 k=0
for delay in $(delays "$trials" "$w"); do
    k=$((k + 1))
    make_doc $k
    kill_after "$delay" add --db "$db" "$tmp/d$k.id" "$tmp/d$k.en"
    intact "trial $k" || break
    sha=$(sha256sum <"$tmp/d$k.id" | cut -d' ' -f1)
    doc=$("$SQLITE3" "$db" "select id from documents where src_sha256 = '$sha'")
    segs=$("$SQLITE3" "$db" "select count(*) from segments where text like 'Dokumen $k memuat %' or text like 'Document $k holds %'")
    if [ -n "$doc" ]; then
        occ=$("$SQLITE3" "$db" "select count(*) from occurrences where document = $doc")
        [ "$occ" = 150 ] && [ "$segs" = 300 ] ||
            fail "trial $k (kill after $delay s): document $doc is partial: $occ occurrences, $segs segments"
        committed=$((committed + 1))
    else
        [ "$segs" = 0 ] || fail "trial $k (kill after $delay s): no document but $segs of its segments"
        rolled_back=$((rolled_back + 1))
    fi
    orphans=$("$SQLITE3" "$db" 'select count(*) from occurrences where document not in (select id from documents)')
    [ "$orphans" = 0 ] || fail "trial $k: $orphans occurrences without a document"
    [ "$failures" -eq 0 ] || break
done
echo "add: $committed trials committed, $rolled_back rolled back"
# the TM still works: a last document goes in whole
"$SELARAS" add --db "$db" "$tmp/d0.id" "$tmp/d0.en" >"$tmp/out" 2>&1 || fail "add after the kills: $(cat "$tmp/out")"
grep -q "150 pairs stored" "$tmp/out" || fail "add after the kills: $(cat "$tmp/out")"

# add --batch: 20 documents of 30 pairs in one run, each in its own
# transaction; every document of the batch is there whole or not at all
make_batch() {  # make_batch K: the directory $tmp/b$K
    mkdir -p "$tmp/b$1"
    for d in $(seq 1 20); do
        awk -v k="$1" -v d="$d" 'BEGIN { for (j = 1; j <= 30; j++) printf "Kumpulan %d berkas %d memuat kalimat ke-%d yang berbeda.\n", k, d, j }' >"$tmp/b$1/doc$d.id.txt"
        awk -v k="$1" -v d="$d" 'BEGIN { for (j = 1; j <= 30; j++) printf "Batch %d file %d holds sentence %d which differs.\n", k, d, j }' >"$tmp/b$1/doc$d.en.txt"
    done
}
make_batch 0
cp "$db" "$tmp/timing.db"
w=$(window "add --batch of 20 documents" add --db "$tmp/timing.db" --quiet --batch "$tmp/b0")
whole=0 absent=0 k=0
for delay in $(delays "$trials" "$w"); do
    k=$((k + 1))
    make_batch $k
    kill_after "$delay" add --db "$db" --quiet --batch "$tmp/b$k"
    intact "batch trial $k" || break
    # per document: its occurrences and its segments, in one query
    for d in $(seq 1 20); do
        sha=$(sha256sum <"$tmp/b$k/doc$d.id.txt" | cut -d' ' -f1)
        echo "select '$d', (select count(*) from occurrences o join documents m on m.id = o.document where m.src_sha256 = '$sha'), (select count(*) from segments where text like 'Kumpulan $k berkas $d memuat %' or text like 'Batch $k file $d holds %');"
    done | "$SQLITE3" "$db" >"$tmp/batch.state"
    n=0
    while IFS='|' read -r d occ segs; do
        n=$((n + 1))
        if [ "$occ" = 30 ] && [ "$segs" = 60 ]; then
            whole=$((whole + 1))
        elif [ "$occ" = 0 ] && [ "$segs" = 0 ]; then
            absent=$((absent + 1))
        else
            fail "batch trial $k (kill after $delay s): document $d is partial: $occ occurrences, $segs segments"
        fi
    done <"$tmp/batch.state"
    [ "$n" = 20 ] || fail "batch trial $k: $n documents checked"
    rm -rf "$tmp/b$k"
    [ "$failures" -eq 0 ] || break
done
echo "add --batch: $whole documents whole, $absent absent, none partial"
"$SELARAS" add --db "$db" --quiet --batch "$tmp/b0" >"$tmp/out" 2>&1 || fail "add --batch after the kills: $(cat "$tmp/out")"
[ "$("$SQLITE3" "$db" "select count(*) from segments where text like 'Kumpulan 0 berkas %'")" = 600 ] ||
    fail "add --batch after the kills did not store all 20 documents"

# import: a TMX of 3000 units of its own per trial, stored whole or not at all
make_tmx() {
    awk -v k="$1" 'BEGIN {
        print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        print "<tmx version=\"1.4\"><header creationtool=\"kill.sh\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"none\" adminlang=\"en\" srclang=\"id\" datatype=\"plaintext\"/><body>"
        for (j = 1; j <= 3000; j++)
            printf "<tu><tuv xml:lang=\"id\"><seg>Impor %d membawa kalimat ke-%d.</seg></tuv><tuv xml:lang=\"en\"><seg>Import %d brings sentence %d.</seg></tuv></tu>\n", k, j, k, j
        print "</body></tmx>" }' >"$tmp/imp$1.tmx"
}
make_tmx 0
cp "$db" "$tmp/timing.db"
w=$(window import import --db "$tmp/timing.db" "$tmp/imp0.tmx")
committed=0 rolled_back=0 k=0
for delay in $(delays "$trials" "$w"); do
    k=$((k + 1))
    make_tmx $k
    kill_after "$delay" import --db "$db" "$tmp/imp$k.tmx"
    intact "import trial $k" || break
    sha=$(sha256sum <"$tmp/imp$k.tmx" | cut -d' ' -f1)
    doc=$("$SQLITE3" "$db" "select id from documents where src_sha256 = '$sha'")
    segs=$("$SQLITE3" "$db" "select count(*) from segments where text like 'Impor $k membawa %' or text like 'Import $k brings %'")
    if [ -n "$doc" ]; then
        occ=$("$SQLITE3" "$db" "select count(*) from occurrences where document = $doc")
        [ "$occ" = 3000 ] && [ "$segs" = 6000 ] ||
            fail "import trial $k (kill after $delay s): document $doc is partial: $occ occurrences, $segs segments"
        committed=$((committed + 1))
    else
        [ "$segs" = 0 ] || fail "import trial $k (kill after $delay s): no document but $segs of its segments"
        rolled_back=$((rolled_back + 1))
    fi
    [ "$failures" -eq 0 ] || break
done
echo "import: $committed trials committed, $rolled_back rolled back"
"$SELARAS" import --db "$db" "$tmp/imp0.tmx" >"$tmp/out" 2>&1 || fail "import after the kills: $(cat "$tmp/out")"
grep -q "3000 pairs stored" "$tmp/out" || fail "import after the kills: $(cat "$tmp/out")"

# export: the final name holds a complete TMX (the one before, or the new
# one) or nothing; a killed export may leave its temporary file, nothing else
awk 'BEGIN { for (j = 1; j <= 4000; j++) printf "Kalimat tambahan nomor %d untuk ekspor.\n", j }' >"$tmp/big.id"
awk 'BEGIN { for (j = 1; j <= 4000; j++) printf "Extra sentence number %d for the export.\n", j }' >"$tmp/big.en"
"$SELARAS" add --db "$db" "$tmp/big.id" "$tmp/big.en" >/dev/null || fail "add of 4000 pairs"
units=$("$SQLITE3" "$db" 'select count(*) from units')
w=$(window "export of $units units" export --db "$db" -o "$tmp/timing.tmx")
complete=0 absent=0 k=0
for delay in $(delays "$trials" "$w"); do
    k=$((k + 1))
    kill_after "$delay" export --db "$db" -o "$tmp/out.tmx"
    if [ -e "$tmp/out.tmx" ]; then
        tus=$(grep -c '<tu ' "$tmp/out.tmx")
        [ "$(tail -n 1 "$tmp/out.tmx")" = "</tmx>" ] && [ "$tus" = "$units" ] ||
            fail "export trial $k (kill after $delay s): truncated file: $tus of $units units"
        complete=$((complete + 1))
    else
        absent=$((absent + 1))
    fi
    # the final name is all that appears besides temporary files
    ls "$tmp" | grep '^out\.tmx' | grep -v '^out\.tmx$' | grep -v '^out\.tmx\.tmp-' &&
        fail "export trial $k: unexpected file"
    [ "$failures" -eq 0 ] || break
    # start some trials without a previous export
    [ $((k % 3)) -eq 0 ] && rm -f "$tmp/out.tmx"
done
echo "export: final file complete after $complete trials, absent after $absent;" \
    "$(ls "$tmp" | grep -c '^out\.tmx\.tmp-') killed while writing"
[ "$("$SQLITE3" "$db" 'pragma integrity_check')" = ok ] || fail "integrity after the exports"
finish
