// Reaching the school's PostgreSQL server: the address a teacher gives, credentials that never
// pass through the command line, teacher-worded errors, and the server's own schema steps.
//
// Addresses: a URL (postgresql://USER@HOST[:PORT]/DB[?sslmode=...&host=/socket/dir]) or a
// libpq connection string such as "service=school" (~/.pg_service.conf or PGSERVICEFILE).
// A password in the address is refused (it would sit in the shell's history and in `ps`):
// libpq finds it in PGPASSFILE / ~/.pgpass, or the service file, or cardpoll asks for it.
// TLS: libpq's sslmode, from the address or the service; libpq's default is "prefer" (TLS
// when the server offers it).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <pqxx/connection>

namespace cardpoll::school {

// Any failure reaching or using the server, in a teacher's words.
struct ServerError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws ServerError when `address` is empty, not a PostgreSQL address, or carries a password.
void check_address(const std::string& address);

// Asked for the password (without echo) when the server wants one that libpq did not find;
// returns nullopt when no one can answer (no terminal).
using PasswordPrompt = std::function<std::optional<std::string>(const std::string& question)>;

// Connects, asking `prompt` once for a password when the server asks for one. Throws
// ServerError: unreachable, wrong password, no password, no such database, ...
std::unique_ptr<pqxx::connection> connect(const std::string& address, const PasswordPrompt& prompt = {});

// The server's schema steps (its own, numbered 1, 2, ...; table schema_version).
int latest_server_schema_version();
int server_schema_version(pqxx::connection& c);  // 0: nothing of cardpoll's there yet
// Brings the server up to `up_to` (default: the latest) under an advisory lock, so laptops
// migrating at once take turns. Throws ServerError when the server's schema is newer than this
// cardpoll knows.
void migrate_server(pqxx::connection& c, int up_to = -1);
// For readers: throws ServerError when the server has no cardpoll data or a newer schema.
void require_readable_schema(pqxx::connection& c);

// A ServerError from whatever libpqxx threw, naming what was being done.
[[noreturn]] void rethrow_as_server_error(const std::exception& e, const std::string& doing);

}  // namespace cardpoll::school

namespace cardpoll::school {
// Asks on the terminal without echo; nullopt when standard input is not a terminal.
std::optional<std::string> ask_password_on_terminal(const std::string& question);
}  // namespace cardpoll::school
