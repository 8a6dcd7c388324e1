#include "app/cli.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "core/store/atomic_file.h"

namespace cardpoll::app {

namespace {
std::map<std::string, Command>& registry() {
  static std::map<std::string, Command> r;
  return r;
}
}  // namespace

bool register_command(Command c) {
  std::string name = c.name;
  registry().emplace(std::move(name), std::move(c));
  return true;
}

const std::map<std::string, Command>& commands() { return registry(); }

std::optional<std::string> ParsedArgs::get(const std::string& name) const {
  auto it = options.find(name);
  if (it == options.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::string ParsedArgs::get_or(const std::string& name, const std::string& fallback) const {
  auto v = get(name);
  return v ? *v : fallback;
}

int ParsedArgs::get_int(const std::string& name, int fallback, int min, int max) const {
  auto v = get(name);
  if (!v) return fallback;
  int out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (v->empty() || ec != std::errc() || p != v->data() + v->size() || out < min || out > max)
    throw UsageError("--" + name + " " + *v + ": expected a whole number from " +
                     std::to_string(min) + " to " + std::to_string(max));
  return out;
}

double ParsedArgs::get_double(const std::string& name, double fallback, double min,
                              double max) const {
  auto v = get(name);
  if (!v) return fallback;
  char* end = nullptr;
  errno = 0;
  const double out = std::strtod(v->c_str(), &end);
  if (v->empty() || errno || *end || !(out >= min && out <= max))
    throw UsageError("--" + name + " " + *v + ": expected a number from " + std::to_string(min) +
                     " to " + std::to_string(max));
  return out;
}

ParsedArgs parse_args(const std::vector<std::string>& args, const std::vector<OptionSpec>& spec) {
  ParsedArgs out;
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (options_done || a.size() < 2 || a.compare(0, 2, "--") != 0) {
      if (!options_done && a.size() > 1 && a[0] == '-' && a != "-")
        throw UsageError("unknown option " + a);
      out.positional.push_back(a);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    std::string name = a.substr(2), value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      inline_value = true;
    }
    const OptionSpec* s = nullptr;
    for (const auto& o : spec)
      if (o.name == name) s = &o;
    if (!s) throw UsageError("unknown option --" + name);
    if (s->takes_value && !inline_value) {
      if (i + 1 >= args.size()) throw UsageError("--" + name + " needs a value");
      value = args[++i];
    } else if (!s->takes_value && inline_value) {
      throw UsageError("--" + name + " takes no value");
    }
    auto& slot = out.options[name];
    if (!slot.empty() && !s->repeatable) throw UsageError("--" + name + " given twice");
    slot.push_back(value);
  }
  return out;
}

void write_file_atomically(const std::filesystem::path& path, const std::string& data) {
  replace_file_atomically(path, [&](const std::filesystem::path& tmp) {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw std::runtime_error(path.string() + ": cannot write (" + std::strerror(errno) + ")");
    f.write(data.data(), static_cast<std::streamsize>(data.size()));
    f.flush();
    if (!f) throw std::runtime_error(path.string() + ": write failed (" + std::strerror(errno) + ")");
  });
}

}  // namespace cardpoll::app
