#!/bin/sh
# Concurrency: 4 processes add documents of their own and 4 look sentences
# up, all at once, for CONCURRENCY_SECONDS (default 3; make check-crash: 30).
# No command may fail (the busy timeout absorbs the contention), every
# lookup finds its sentence, and every document added is there in full.
. "$TOP_SRCDIR/tests/cli/lib.sh"
SQLITE3=${SQLITE3:-sqlite3}
command -v "$SQLITE3" >/dev/null 2>&1 || { echo "SKIP: no sqlite3 shell"; exit 77; }
seconds=${CONCURRENCY_SECONDS:-3}
db="$tmp/tm.db"
selaras add --db "$db" "$ID_TXT" "$EN_TXT" >/dev/null || fail "first add"
end=$(($(date +%s) + seconds))

# Each process does at least one round, however late a loaded machine
# starts it.
writer() {  # writer W: add documents W-1, W-2, ... until the time is up
    i=0
    while [ $i -eq 0 ] || [ "$(date +%s)" -lt "$end" ]; do
        i=$((i + 1))
        awk -v d="$1-$i" 'BEGIN { for (j = 1; j <= 40; j++) printf "Penulis %s menambah kalimat ke-%d di sini.\n", d, j }' >"$tmp/w$1.id"
        awk -v d="$1-$i" 'BEGIN { for (j = 1; j <= 40; j++) printf "Writer %s adds sentence %d here.\n", d, j }' >"$tmp/w$1.en"
        if selaras add --db "$db" "$tmp/w$1.id" "$tmp/w$1.en" >"$tmp/w$1.out" 2>"$tmp/w$1.err"; then
            echo "$1-$i" >>"$tmp/added.$1"
            # a warning is an error surfaced too
            [ -s "$tmp/w$1.err" ] && echo "writer $1, document $1-$i: $(cat "$tmp/w$1.err")" >>"$tmp/errors"
        else
            cat "$tmp/w$1.err" >>"$tmp/w$1.out"
            echo "writer $1, document $1-$i: $(cat "$tmp/w$1.out")" >>"$tmp/errors"
        fi
    done
}

reader() {  # reader R: look up sentence R+1 of the sample until the time is up
    q=$(grep . "$DATA/article.id.sents" | sed -n "$(($1 + 1))p")
    n=0
    while [ $n -eq 0 ] || [ "$(date +%s)" -lt "$end" ]; do
        if selaras lookup --db "$db" --limit 1 "$q" >"$tmp/r$1.out" 2>"$tmp/r$1.err"; then
            grep -q '^100%' "$tmp/r$1.out" || echo "reader $1: no exact match: $(cat "$tmp/r$1.out")" >>"$tmp/errors"
            [ -s "$tmp/r$1.err" ] && echo "reader $1: $(cat "$tmp/r$1.err")" >>"$tmp/errors"
        else
            cat "$tmp/r$1.err" >>"$tmp/r$1.out"
            echo "reader $1: $(cat "$tmp/r$1.out")" >>"$tmp/errors"
        fi
        n=$((n + 1))
    done
    echo "$n" >"$tmp/lookups.$1"
}

for p in 1 2 3 4; do
    writer $p &
    reader $p &
done
wait
[ -s "$tmp/errors" ] && fail "errors surfaced: $(head -5 "$tmp/errors")"
docs=$(cat "$tmp"/added.* 2>/dev/null | wc -l)
lookups=$(cat "$tmp"/lookups.* | awk '{ s += $1 } END { print s }')
echo "$seconds s: $docs documents added, $lookups lookups"
[ "$docs" -ge 4 ] || fail "only $docs documents were added"
[ "$("$SQLITE3" "$db" 'pragma integrity_check')" = ok ] || fail "integrity check"
[ "$("$SQLITE3" "$db" 'select count(*) from documents')" = $((docs + 1)) ] || fail "document count"
# every unit of every document: 40 each, with its exact sentences
for d in $(cat "$tmp"/added.*); do
    echo "$d"
done >"$tmp/all"
"$SQLITE3" "$db" "select substr(s.text, 9, instr(substr(s.text, 9), ' ') - 1), count(*) from units u
    join segments s on s.id = u.src_segment join segments t on t.id = u.tgt_segment
    where s.text like 'Penulis %' and t.text = 'Writer ' || substr(s.text, 9, instr(substr(s.text, 9), ' ') - 1)
      || ' adds sentence ' || substr(s.text, instr(s.text, 'ke-') + 3, instr(substr(s.text, instr(s.text, 'ke-') + 3), ' ') - 1) || ' here.'
    group by 1 having count(*) = 40 order by 1" | cut -d'|' -f1 >"$tmp/complete"
sort "$tmp/all" >"$tmp/all.sorted"
sort "$tmp/complete" >"$tmp/complete.sorted"
expect_same "$tmp/all.sorted" "$tmp/complete.sorted" "documents with all 40 units"
[ "$("$SQLITE3" "$db" 'select count(*) from units')" = $((docs * 40 + 10)) ] || fail "unit count"
finish
