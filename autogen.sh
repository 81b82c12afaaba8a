#!/bin/sh
# Regenerate the build system.  With --deps, first install the Debian build
# dependencies that are missing (needs root or sudo).
set -e
cd "$(dirname "$0")"

deps="autoconf automake libtool pkg-config make gcc libxml2-dev libxml2-utils libicu-dev libsqlite3-dev sqlite3 check python3 valgrind"
if [ "$1" = "--deps" ]; then
    shift
    missing=
    for p in $deps; do
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
