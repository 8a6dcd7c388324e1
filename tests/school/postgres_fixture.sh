#!/usr/bin/env bash
# A real PostgreSQL server for the school tests (CTest fixture cardpoll_postgres), Debian's own
# binaries, in a temporary folder, listening only on a Unix socket in that folder.
#
#   postgres_fixture.sh start INFO     initdb + start; writes the folder's path to INFO
#   postgres_fixture.sh stop INFO      stop the server, remove the folder and INFO
#   postgres_fixture.sh crash INFO     stop at once, as a power cut would (pg_ctl -m immediate)
#   postgres_fixture.sh restart INFO   start again after crash
#
# The server refuses to run as root: as root, it runs as the unprivileged system user
# cardpoll-pg (made here when missing) and the folder belongs to that user.
# Roles: cardpoll (superuser, trusted on the socket: the tests make their databases with it)
# and teacher (password "chalk", scram-sha-256: the password tests). Tests: fsync off and every
# statement logged; bench/bench_school sets CARDPOLL_PG_FSYNC=on CARDPOLL_PG_LOG=none.
set -euo pipefail
what=$1 info=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "postgres_fixture: no PostgreSQL server installed (bash setup.sh deps)" >&2; exit 1; }
as_server=()
if [ "$(id -u)" -eq 0 ]; then
  id cardpoll-pg >/dev/null 2>&1 ||
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin cardpoll-pg
  as_server=(runuser -u cardpoll-pg --)
fi
ctl() { "${as_server[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 "$@" >/dev/null; }

case "$what" in
  start)
    if [ -f "$info" ]; then "$0" stop "$info" || true; fi
    dir=$(mktemp -d /tmp/cardpoll-pg.XXXXXX)
    chmod 755 "$dir"
    [ ${#as_server[@]} -eq 0 ] || chown cardpoll-pg "$dir"
    "${as_server[@]}" "$bin/initdb" -D "$dir/data" -U cardpoll --auth-local=trust --auth-host=reject \
      -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log"
    cat >"$dir/data/pg_hba.conf" <<HBA
local all teacher scram-sha-256
local all all trust
HBA
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
fsync = ${CARDPOLL_PG_FSYNC:-off}
max_connections = 60
log_statement = '${CARDPOLL_PG_LOG:-all}'
CONF
    ctl start
    "$bin/psql" -h "$dir" -U cardpoll -d postgres -qAt -v ON_ERROR_STOP=1 \
      -c "CREATE ROLE teacher LOGIN PASSWORD 'chalk'" >/dev/null
    echo "$dir" >"$info"
    echo "postgres_fixture: server running on $dir"
    ;;
  stop)
    [ -f "$info" ] || exit 0
    dir=$(cat "$info")
    ctl stop -m fast || true
    rm -rf "$dir" "$info"
    ;;
  crash) dir=$(cat "$info"); ctl stop -m immediate ;;
  restart) dir=$(cat "$info"); ctl start ;;
  *) echo "usage: postgres_fixture.sh start|stop|crash|restart INFO" >&2; exit 2 ;;
esac
