#!/bin/sh
# Regenerate the build system.  With --deps, first install the Debian
# packages needed to build that are missing; with --test-deps, also those the
# test suite uses (xmllint, the sqlite3 shell, valgrind, clang with libFuzzer
# for make fuzz, GNU parallel, groff, and the CAT tools of the
# interoperability tests: OmegaT and translate-toolkit; Chromium, which
# renders the review page in tests/cli/review.sh).  Needs root or sudo.
set -e
cd "$(dirname "$0")"

build_deps="autoconf automake libtool pkg-config make gcc libxml2-dev libicu-dev libsqlite3-dev check zlib1g-dev"
# the English-Indonesian FreeDict dictionary for 'selaras dict import'
data_deps="dict-freedict-eng-ind"
test_deps="libxml2-utils sqlite3 python3 valgrind omegat translate-toolkit python3-lxml chromium clang libclang-rt-14-dev parallel groff-base"
# hunalign, for eval/align-score.py --tool hunalign: not in every Debian
# release (bookworm lacks it), so installed only where apt knows it
optional_test_deps="hunalign"
want=
case "${1:-}" in
--deps) want="$build_deps $data_deps"; shift ;;
--test-deps) want="$build_deps $data_deps $test_deps"; shift
    for p in $optional_test_deps; do
        apt-cache show "$p" >/dev/null 2>&1 && want="$want $p"
    done ;;
esac
if [ -n "$want" ]; then
    missing=
    for p in $want; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        echo "autogen.sh: installing:$missing"
        sudo=
        [ "$(id -u)" -eq 0 ] || sudo=sudo
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing
    fi
fi
autoreconf --install --force
