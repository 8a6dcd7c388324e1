// The cardpoll command line: global options, self-registering subcommands, and a small
// option parser so that every subcommand has the same --help and error behaviour.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cardpoll::app {

// Wrong words on the command line: printed with the command's usage, exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Context {
  std::filesystem::path db;  // --db, or the default under $XDG_DATA_HOME
  bool db_given = false;     // --db was on the command line (hints printed must repeat it)
};

struct Command {
  std::string name;     // "cards", "class", ...
  std::string summary;  // one line for `cardpoll --help`
  std::string usage;    // the full text of `cardpoll NAME --help`
  std::function<int(const Context&, const std::vector<std::string>&)> run;
};

// Called from a static initialiser in each cmd_*.cpp.
bool register_command(Command c);
const std::map<std::string, Command>& commands();

struct OptionSpec {
  std::string name;          // without the dashes: "out"
  bool takes_value = false;  // --out FILE / --out=FILE
  bool repeatable = false;
};

struct ParsedArgs {
  std::map<std::string, std::vector<std::string>> options;
  std::vector<std::string> positional;

  bool has(const std::string& name) const { return options.count(name) > 0; }
  std::optional<std::string> get(const std::string& name) const;
  std::string get_or(const std::string& name, const std::string& fallback) const;
  // Integer option; UsageError naming the option and value when it is not a number in range.
  int get_int(const std::string& name, int fallback, int min, int max) const;
  double get_double(const std::string& name, double fallback, double min, double max) const;
};

// Parses args against spec; "--" ends options. UsageError for an unknown option, a
// missing value, or a repeated non-repeatable option.
ParsedArgs parse_args(const std::vector<std::string>& args, const std::vector<OptionSpec>& spec);

// Writes `data` to `path` atomically: a temporary file beside it, then rename, so a
// failure never leaves a partial file. Throws std::runtime_error naming the path.
void write_file_atomically(const std::filesystem::path& path, const std::string& data);

}  // namespace cardpoll::app
