#include "school/server.h"

#include <algorithm>
#include <cctype>
#include <pqxx/pqxx>

namespace cardpoll::school {

namespace {

bool starts_with(const std::string& s, std::string_view p) { return s.rfind(p, 0) == 0; }

bool is_url(const std::string& a) { return starts_with(a, "postgresql://") || starts_with(a, "postgres://"); }

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

const char* const kNoPassword =
    "cardpoll never takes a password on the command line (other users could see it, and the "
    "shell keeps it in its history). Leave it out: put it in ~/.pgpass (or the file PGPASSFILE "
    "names) or a service in ~/.pg_service.conf, or cardpoll asks for it when the server wants one";

// The first line of libpq's message, for the technical half of an error.
std::string first_line(const std::string& m) {
  std::string s = m.substr(0, m.find('\n'));
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

std::string percent_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// A keyword's value quoted as libpq's connection strings want it.
std::string conninfo_quote(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

// The address with an extra keyword, in the form it is written in.
std::string with_keyword(const std::string& address, const std::string& key, const std::string& value) {
  if (is_url(address))
    return address + (address.find('?') == std::string::npos ? "?" : "&") + key + "=" + percent_encode(value);
  return address + " " + key + "=" + conninfo_quote(value);
}

bool has_keyword(const std::string& address, const std::string& key) {
  const std::string a = lower(address);
  if (is_url(a)) return a.find("?" + key + "=") != std::string::npos || a.find("&" + key + "=") != std::string::npos;
  return a.find(key + "=") != std::string::npos || a.find(key + " =") != std::string::npos;
}

bool password_needed(const std::string& m) { return m.find("no password supplied") != std::string::npos; }
bool password_refused(const std::string& m) {
  return m.find("password authentication failed") != std::string::npos;
}

ServerError connect_error(const std::string& address, const std::string& m) {
  const std::string why = first_line(m);
  if (password_refused(m))
    return ServerError("the school server refused the password (" + why +
                       "): check the password as typed, or in ~/.pgpass, PGPASSFILE or the service file");
  if (password_needed(m))
    return ServerError("the school server asks for a password and none was found: put it in ~/.pgpass (or "
                       "PGPASSFILE) or run cardpoll sync in a terminal, where it asks for it");
  if (m.find("does not exist") != std::string::npos)
    return ServerError("the school server answered but " + why + ": check the user and database names in " +
                       address);
  if (m.find("SSL") != std::string::npos)
    return ServerError("the school server and this computer do not agree on encryption (" + why +
                       "): check sslmode in the address or the service file");
  if (m.find("definition of service") != std::string::npos)
    return ServerError("no service of that name (" + why + "): check ~/.pg_service.conf or PGSERVICEFILE");
  return ServerError("cannot reach the school server at " + address + " (" + why +
                     "): is the network up and the address right? Your classes stay on this computer; "
                     "push again later");
}

}  // namespace

void check_address(const std::string& address) {
  if (address.empty()) throw ServerError("no school server given: an address like postgresql://USER@HOST/DB");
  if (is_url(address)) {
    // postgresql://user:password@host/db: a ':' in the part before '@' (the authority's user info).
    const std::string rest = address.substr(address.find("//") + 2);
    const std::string authority = rest.substr(0, rest.find_first_of("/?"));
    const auto at = authority.rfind('@');
    if (at != std::string::npos && authority.substr(0, at).find(':') != std::string::npos)
      throw ServerError(std::string("the server address contains a password: ") + kNoPassword);
    if (has_keyword(address, "password"))
      throw ServerError(std::string("the server address contains a password: ") + kNoPassword);
    return;
  }
  if (address.find('=') == std::string::npos)
    throw ServerError("\"" + address +
                      "\" is not a PostgreSQL address: give postgresql://USER@HOST/DB or service=NAME");
  if (has_keyword(address, "password"))
    throw ServerError(std::string("the server address contains a password: ") + kNoPassword);
}

std::unique_ptr<pqxx::connection> connect(const std::string& address, const PasswordPrompt& prompt) {
  check_address(address);
  std::string conninfo = address;
  if (!has_keyword(conninfo, "connect_timeout")) conninfo = with_keyword(conninfo, "connect_timeout", "10");
  if (!has_keyword(conninfo, "application_name")) conninfo = with_keyword(conninfo, "application_name", "cardpoll");
  try {
    return std::make_unique<pqxx::connection>(conninfo);
  } catch (const pqxx::broken_connection& e) {
    const std::string m = e.what();
    if (!password_needed(m) || !prompt) throw connect_error(address, m);
    auto pw = prompt("Password for the school server " + address + ": ");
    if (!pw) throw connect_error(address, m);
    try {
      // The password lives only in this string in memory: never printed, never logged.
      return std::make_unique<pqxx::connection>(with_keyword(conninfo, "password", *pw));
    } catch (const pqxx::broken_connection& again) {
      throw connect_error(address, again.what());
    }
  } catch (const std::exception& e) {
    throw connect_error(address, e.what());
  }
}

// A connection that went away: libpqxx says so with broken_connection, but when the server
// dies while a statement is under way libpq's "server closed the connection unexpectedly"
// can arrive as a plain sql_error with no SQLSTATE (or class 08, connection exception),
// depending on which call noticed first.
static bool connection_lost(const std::exception& e) {
  if (dynamic_cast<const pqxx::broken_connection*>(&e) || dynamic_cast<const pqxx::in_doubt_error*>(&e))
    return true;
  if (const auto* s = dynamic_cast<const pqxx::sql_error*>(&e))
    if (s->sqlstate().empty() || s->sqlstate().rfind("08", 0) == 0) return true;
  return std::string_view(e.what()).find("server closed the connection") != std::string_view::npos;
}

void rethrow_as_server_error(const std::exception& e, const std::string& doing) {
  if (connection_lost(e))
    throw ServerError("lost the connection to the school server while " + doing + " (" + first_line(e.what()) +
                      "). What was sent in the batch under way was not kept; run the same command again to "
                      "go on from there");
  if (const auto* s = dynamic_cast<const pqxx::sql_error*>(&e)) {
    if (s->sqlstate() == "42501")
      throw ServerError("the school server does not let this user do that while " + doing + " (" +
                        first_line(e.what()) + "): ask whoever runs the server to grant it");
    if (s->sqlstate().rfind("57P", 0) == 0)  // the server shutting down or restarting
      throw ServerError("the school server stopped while " + doing + " (" + first_line(e.what()) +
                        "); nothing half-done was kept: run the same command again when it is back");
  }
  throw ServerError("the school server failed while " + doing + ": " + first_line(e.what()));
}

}  // namespace cardpoll::school
