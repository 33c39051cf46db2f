#!/usr/bin/env bash
# Lists the installed pg_dump/pg_restore majors and which PostgreSQL servers they can back up.
# A server of major N needs pg_dump N or newer: the lowest installed client >= N is used.
# PG_BIN_DIR_TEMPLATE: one template with {major}, or several separated by `:`, searched in order.
set -uo pipefail
template="${PG_BIN_DIR_TEMPLATE:-/usr/lib/postgresql/{major\}/bin}"
IFS=':' read -r -a templates <<<"$template"
majors=(12 13 14 15 16 17)
installed=()

printf '%-7s %-55s %s\n' major pg_dump pg_restore
for major in "${majors[@]}"; do
  found=""
  looked=()
  for t in "${templates[@]}"; do
    [ -n "$t" ] || continue
    dir="${t//\{major\}/$major}"
    looked+=("$dir")
    if [ -x "$dir/pg_dump" ] && [ -x "$dir/pg_restore" ]; then found="$dir"; break; fi
  done
  if [ -n "$found" ]; then
    installed+=("$major")
    printf '%-7s %-55s %s\n' "$major" "$("$found/pg_dump" --version)" "$("$found/pg_restore" --version) ($found)"
  else
    printf '%-7s %-55s %s\n' "$major" "missing (${looked[*]})" "-"
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
