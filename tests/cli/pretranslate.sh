#!/bin/sh
# selaras pretranslate on a TM of the sample article: --min, the draft keeps
# the paragraphs and marks what the TM does not cover, both directions, and
# -o writes a complete file without touching the TM, the article, a FIFO or
# a symbolic link's place; analyze in the TM's other direction.  (analyze.sh
# checks the matches and bands on real data.)
. "$TOP_SRCDIR/tests/cli/lib.sh"
db="$tmp/tm.db"
selaras add --db "$db" "$ID_TXT" "$EN_TXT" >/dev/null || fail "add"
grep . "$DATA/article.id.sents" >"$tmp/id"
grep . "$DATA/article.en.sents" >"$tmp/en"
id() { sed -n "${1}p" "$tmp/id"; }
en() { sed -n "${1}p" "$tmp/en"; }
edited=$(id 10 | sed 's/keyakinannya/harapannya/')
[ "$edited" != "$(id 10)" ] || fail "the edit of sentence 10 changed nothing"
cat="Kucing itu tidur di atas meja."
printf '%s %s\n\n%s %s\n' "$(id 1)" "$edited" "$cat" "$(id 3)" >"$tmp/new.id.txt"

# the default --min (75) takes the one-word edit; --min 100 only the exact ones
expect_status 0 "pretranslate text" -- selaras pretranslate --db "$db" --format text "$tmp/new.id.txt"
printf '%s %s\n\n[[id: %s]] %s\n' "$(en 1)" "$(en 10)" "$cat" "$(en 3)" >"$tmp/want"
expect_same "$tmp/want" "$tmp/out" "draft at --min 75"
expect_status 0 "pretranslate --min 100" -- selaras pretranslate --db "$db" --min 100 --format text "$tmp/new.id.txt"
printf '%s [[id: %s]]\n\n[[id: %s]] %s\n' "$(en 1)" "$edited" "$cat" "$(en 3)" >"$tmp/want"
expect_same "$tmp/want" "$tmp/out" "draft at --min 100"
# the edit's own percent is the boundary: taken at it, not one above
expect_status 0 "pretranslate tsv" -- selaras pretranslate --db "$db" "$tmp/new.id.txt"
p=$(sed -n 2p "$tmp/out" | cut -f3)
case $p in [0-9] | [0-9][0-9]) ;; *) fail "the edited sentence should be a fuzzy match, not '$p'";; esac
printf '1\t1\t100\t%s\t%s\t%s\t%s\n' "$(id 1)" "$(id 1)" "$(en 1)" "$ID_TXT" >"$tmp/want"
cut -f1-7 "$tmp/out" | head -1 >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "the exact match's TSV line (stored translation, document)"
printf '2\t1\t%s\t%s\t%s\t%s\n3\t2\t-\t%s\t\t\t\t\n' "$p" "$edited" "$(id 10)" "$(en 10)" "$cat" >"$tmp/want"
sed -n 2,3p "$tmp/out" | cut -f1-8 | sed '1s/\t[^\t]*\t[^\t]*$//' >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "the fuzzy and the unmatched TSV lines"
expect_status 0 "pretranslate --min $p" -- selaras pretranslate --db "$db" --min "$p" "$tmp/new.id.txt"
[ "$(sed -n 2p "$tmp/out" | cut -f3)" = "$p" ] || fail "--min $p dropped a $p% match"
expect_status 0 "pretranslate --min $((p + 1))" -- selaras pretranslate --db "$db" --min $((p + 1)) "$tmp/new.id.txt"
[ "$(sed -n 2p "$tmp/out" | cut -f3)" = - ] || fail "--min $((p + 1)) kept a $p% match"
# JSON: the match's provenance and the unit's alignment score, as stored
expect_status 0 "pretranslate json" -- selaras pretranslate --db "$db" --format json "$tmp/new.id.txt"
score=$(${SQLITE3:-sqlite3} "$db" "select printf('%.4f', max(o.score)) from occurrences o join units u on u.id = o.unit
    join segments s on s.id = u.src_segment where s.text = '$(id 1 | sed "s/'/''/g")'")
sed -n 2p "$tmp/out" | grep -qF "\"percent\":100,\"source\":\"$(id 1)\",\"target\":\"$(en 1)\",\"score\":$score,\"document\":\"$ID_TXT\"," ||
    fail "JSON match of sentence 1 (score $score): $(sed -n 2p "$tmp/out")"
grep -q '"sentence":"Kucing itu tidur di atas meja.","match":null}' "$tmp/out" || fail "JSON without a match: $(cat "$tmp/out")"
expect_status 2 "--min above 100" -- selaras pretranslate --db "$db" --min 101 "$tmp/new.id.txt"
expect_stderr "from 0 to 100"

# the other direction: an English article against the id -> en TM
printf '%s\n\n%s Nobody wrote this sentence before today.\n' "$(en 2)" "$(en 4)" >"$tmp/new.en.txt"
expect_status 0 "pretranslate en -> id" -- selaras pretranslate --db "$db" --src-lang en --tgt-lang id \
    --format text "$tmp/new.en.txt"
printf '%s\n\n%s [[en: Nobody wrote this sentence before today.]]\n' "$(id 2)" "$(id 4)" >"$tmp/want"
expect_same "$tmp/want" "$tmp/out" "draft en -> id"

# analyze in that direction too: the first sentence has 100% neighbours only
# (101%), the second a neighbour without a match (100%); each stored
# sentence's words are its space-separated tokens (one word-run each)
expect_status 0 "analyze en -> id" -- selaras analyze --db "$db" --src-lang en --tgt-lang id --format csv \
    "$tmp/new.en.txt"
w2=$(en 2 | wc -w); w4=$(en 4 | wc -w)
for f in '"'"$tmp/new.en.txt"'"' '"TOTAL"'; do
    printf '%s,101%%,1,%d\n%s,100%%,1,%d\n%s,repetition,0,0\n' "$f" "$w2" "$f" "$w4" "$f"
    for b in 95-99% 85-94% 75-84% 50-74%; do printf '%s,%s,0,0\n' "$f" "$b"; done
    printf '%s,no match,1,6\n' "$f"
done >"$tmp/want"
sed 1d "$tmp/out" >"$tmp/got"
expect_same "$tmp/want" "$tmp/got" "analyze --src-lang en --tgt-lang id"
expect_status 1 "analyze, unknown language" -- selaras analyze --db "$db" --src-lang xx "$tmp/new.en.txt"
expect_stderr "xx"

# -o: the TM and the article are refused and stay as they were (the TM a
# copy, so that the checks below still have theirs)
selaras add --db "$tmp/victim.db" "$ID_TXT" "$EN_TXT" >/dev/null || fail "add victim.db"
before=$(fingerprint "$tmp/victim.db")
expect_status 1 "-o onto the TM" -- selaras pretranslate --db "$tmp/victim.db" --format text \
    -o "$tmp/victim.db" "$tmp/new.id.txt"
expect_stderr "is the translation memory itself"
[ "$(fingerprint "$tmp/victim.db")" = "$before" ] || fail "pretranslate -o onto the TM changed it"
cp "$tmp/new.id.txt" "$tmp/victim.id.txt"
before=$(fingerprint "$tmp/victim.id.txt")
expect_status 1 "-o onto the article" -- selaras pretranslate --db "$db" --format text \
    -o "$tmp/victim.id.txt" "$tmp/victim.id.txt"
expect_stderr "is the article itself"
[ "$(fingerprint "$tmp/victim.id.txt")" = "$before" ] || fail "pretranslate -o onto the article changed it"
# a new file gets the mode a plain create gives (umask 027: 640), nothing on stdout
(umask 027 && selaras pretranslate --db "$db" --format text -o "$tmp/draft.txt" "$tmp/new.id.txt" \
    >"$tmp/out" 2>"$tmp/err") || fail "-o draft.txt: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "with -o nothing goes to stdout"
selaras pretranslate --db "$db" --format text "$tmp/new.id.txt" >"$tmp/want"
expect_same "$tmp/want" "$tmp/draft.txt" "the draft written with -o"
[ "$(stat -c %a "$tmp/draft.txt")" = 640 ] || fail "-o made the file mode $(stat -c %a "$tmp/draft.txt"), umask 027"
expect_status 0 "-o -" -- selaras pretranslate --db "$db" --format text -o - "$tmp/new.id.txt"
expect_same "$tmp/want" "$tmp/out" "the draft with -o -"
[ -e ./- ] && fail "-o - made a file named '-'"
# a symbolic link stays, its target gets the draft
: >"$tmp/real.txt"
ln -s real.txt "$tmp/link.txt"
expect_status 0 "-o through a link" -- selaras pretranslate --db "$db" --format text -o "$tmp/link.txt" "$tmp/new.id.txt"
[ -L "$tmp/link.txt" ] || fail "-o replaced the symbolic link"
expect_same "$tmp/want" "$tmp/real.txt" "the draft written through the link"
# a FIFO (as /dev/stdout or a pipe would be) is written in place, not replaced
if mkfifo "$tmp/fifo" 2>/dev/null; then
    cat "$tmp/fifo" >"$tmp/fifo.out" &
    reader=$!
    expect_status 0 "-o FIFO" -- selaras pretranslate --db "$db" --format text -o "$tmp/fifo" "$tmp/new.id.txt"
    if [ -p "$tmp/fifo" ]; then
        [ "$es_got" -eq 0 ] || : >"$tmp/fifo"  # the reader still waits for a writer
        wait "$reader"
        expect_same "$tmp/want" "$tmp/fifo.out" "the draft read from the FIFO"
    else
        kill "$reader" 2>/dev/null; wait "$reader" 2>/dev/null
        fail "-o replaced the FIFO with a file"
    fi
fi
mkdir "$tmp/dir"
expect_status 1 "-o a directory" -- selaras pretranslate --db "$db" -o "$tmp/dir" "$tmp/new.id.txt"
expect_stderr "dir: is a directory"
ls -a "$tmp" "$tmp/dir" | grep -q '\.tmp' && fail "a temporary file was left behind: $(ls "$tmp" "$tmp/dir")"
finish
