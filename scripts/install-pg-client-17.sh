#!/usr/bin/env bash
# Puts pg_dump, pg_restore, pg_dumpall and psql 17 into a cache folder outside the checkout:
#   ${PG_CLIENTS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dumpstation/pg-clients}/17/bin
# Debian bookworm has no PostgreSQL 17 client. Debian trixie's binary packages are used instead,
# unpacked (dpkg -x, nothing is installed system-wide) and started through trixie's own loader,
# since they need glibc 2.38. The system's apt sources are never touched: a private sources list,
# lists and cache folder are used. A second run costs nothing (the wrappers answer 17 → exit).
# Fails, saying why, when the packages cannot be fetched; the tests of servers 16 and 17 need them.
set -euo pipefail

MAJOR=17
cache_root="${PG_CLIENTS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dumpstation/pg-clients}"
dest="$cache_root/$MAJOR"
tools=(pg_dump pg_restore pg_dumpall psql)

fail() {
  echo "install-pg-client-$MAJOR: $*" >&2
  echo "install-pg-client-$MAJOR: without it, servers 16 and 17 cannot be backed up here (and their tests fail)." >&2
  exit 1
}

installed() {
  local tool
  for tool in "${tools[@]}"; do
    [ -x "$dest/bin/$tool" ] || return 1
    "$dest/bin/$tool" --version 2>/dev/null | grep -q "(PostgreSQL) $MAJOR\." || return 1
  done
}

if installed; then
  echo "pg clients $MAJOR: $("$dest/bin/pg_dump" --version) in $dest/bin"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1 || fail "needs apt-get and dpkg (a Debian host)"

case "$(dpkg --print-architecture)" in
  amd64) triplet=x86_64-linux-gnu loader=ld-linux-x86-64.so.2 ;;
  arm64) triplet=aarch64-linux-gnu loader=ld-linux-aarch64.so.1 ;;
  *) fail "unsupported architecture $(dpkg --print-architecture)" ;;
esac

# The Debian archive this machine already uses (deb822 first, then the one-line format).
mirror="${DEBIAN_MIRROR:-}"
if [ -z "$mirror" ] && [ -r /etc/apt/sources.list.d/debian.sources ]; then
  mirror="$(awk '
    /^[[:space:]]*$/ { if (uri != "" && main) { print uri; exit } uri = ""; main = 0; next }
    tolower($1) == "uris:" { uri = $2 }
    tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i !~ /-/) main = 1 }
    END { if (uri != "" && main) print uri }
  ' /etc/apt/sources.list.d/debian.sources | head -n1)"
fi
if [ -z "$mirror" ] && [ -r /etc/apt/sources.list ]; then
  mirror="$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/) { print $i; exit } }' /etc/apt/sources.list)"
fi
mirror="${mirror:-http://deb.debian.org/debian}"
mirror="${mirror%/}"

staging="$cache_root/.$MAJOR.new.$$"
work="$(mktemp -d "${TMPDIR:-/tmp}/pg-client-$MAJOR.XXXXXX")"
trap 'rm -rf "$work" "$staging"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs" "$work/root"
echo "deb $mirror trixie main" >"$work/sources.list"
apt_opts=(
  -o "Dir::Etc::sourcelist=$work/sources.list"
  -o "Dir::Etc::sourceparts=/nonexistent"
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache=$work/cache"
  -o "APT::Sandbox::User=$(id -un)"
)

echo "pg clients $MAJOR: fetching postgresql-client-$MAJOR from $mirror (trixie) into $dest"
if ! apt-get "${apt_opts[@]}" -qq update >"$work/update.log" 2>&1 || grep -qE '^(W|E): (Failed|Some index)' "$work/update.log"; then
  cat "$work/update.log" >&2
  fail "apt-get update of $mirror trixie failed (no network to the Debian archive?)"
fi
if ! (cd "$work/debs" && apt-get "${apt_opts[@]}" -qq download "postgresql-client-$MAJOR" libpq5 libc6 libldap2) >"$work/download.log" 2>&1; then
  cat "$work/download.log" >&2
  fail "apt-get download of postgresql-client-$MAJOR libpq5 libc6 libldap2 from $mirror trixie failed"
fi
for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$work/root"; done

# Build the new tree beside the old one, then swap it in.
rm -rf "$staging"
mkdir -p "$staging/bin"
mv "$work/root" "$staging/root"
root="$dest/root"
[ -e "$staging/root/usr/lib/$triplet/$loader" ] || fail "trixie's libc6 has no usr/lib/$triplet/$loader"
for tool in "${tools[@]}"; do
  [ -x "$staging/root/usr/lib/postgresql/$MAJOR/bin/$tool" ] || fail "postgresql-client-$MAJOR has no $tool"
  # --argv0: pg_dumpall looks for pg_dump beside its argv[0], i.e. the wrapper next to it.
  cat >"$staging/bin/$tool" <<EOF
#!/bin/sh
exec "$root/usr/lib/$triplet/$loader" --library-path "$root/usr/lib/$triplet:/lib/$triplet:/usr/lib/$triplet" --argv0 "\$0" "$root/usr/lib/postgresql/$MAJOR/bin/$tool" "\$@"
EOF
  chmod 755 "$staging/bin/$tool"
done
rm -rf "$dest"
mv "$staging" "$dest"

installed || fail "the unpacked tools do not run: $("$dest/bin/pg_dump" --version 2>&1 || true)"
echo "pg clients $MAJOR: $("$dest/bin/pg_dump" --version) in $dest/bin"
