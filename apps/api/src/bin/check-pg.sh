#!/usr/bin/env bash
# Lists the installed pg_dump/pg_restore majors and which PostgreSQL servers they can back up.
# A server of major N needs pg_dump N or newer: the lowest installed client >= N is used.
set -uo pipefail
template="${PG_BIN_DIR_TEMPLATE:-/usr/lib/postgresql/{major\}/bin}"
majors=(12 13 14 15 16 17)
installed=()

printf '%-7s %-55s %s\n' major pg_dump pg_restore
for major in "${majors[@]}"; do
  dir="${template//\{major\}/$major}"
  dump="$dir/pg_dump"
  restore="$dir/pg_restore"
  if [ -x "$dump" ] && [ -x "$restore" ]; then
    installed+=("$major")
    printf '%-7s %-55s %s\n' "$major" "$("$dump" --version)" "$("$restore" --version)"
  else
    printf '%-7s %-55s %s\n' "$major" "missing ($dir)" "-"
  fi
done

echo
for major in "${majors[@]}"; do
  client=""
  for candidate in "${installed[@]}"; do
    if [ "$candidate" -ge "$major" ]; then client="$candidate"; break; fi
  done
  if [ -n "$client" ]; then
    echo "server $major: backed up with pg_dump $client"
  else
    echo "server $major: cannot be backed up here; install postgresql-client-$major"
  fi
done
