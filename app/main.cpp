// cardpoll: wiring only. Global options, then one registered subcommand (see cmd_*.cpp).
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "app/cli.h"
#include "app/lesson.h"
#include "core/paths.h"
#include "core/store/settings.h"
#include "scanner/library_logging.h"

using namespace cardpoll;

namespace {

void print_help() {
  std::printf(
      "cardpoll %s - read students' answer cards from a webcam, offline.\n\n"
      "Usage: cardpoll [--db PATH] COMMAND [OPTIONS]\n"
      "       cardpoll COMMAND --help\n\n"
      "Commands:\n",
      CARDPOLL_VERSION);
  for (const auto& [name, c] : app::commands()) std::printf("  %-12s %s\n", name.c_str(), c.summary.c_str());
  std::printf(
      "\nGlobal options:\n"
      "  --db PATH    the class database (default: the one chosen in cardpoll app's Settings,\n"
      "               else %s)\n"
      "  --verbose    let the video and image libraries print their own warnings\n"
      "  --help       this text\n"
      "  --version    the version\n",
      default_database_path().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  app::Context ctx;
  ctx.db = default_database_path();
  std::vector<std::string> rest;
  std::string command;
  bool want_help = false;
  bool verbose = false;
  // --db may stand anywhere, before or after the command: it is the same for all of them.
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--db" || a.rfind("--db=", 0) == 0) {
      if (a == "--db") {
        if (i + 1 >= argc) {
          std::fprintf(stderr, "cardpoll: --db needs a path\n");
          return 2;
        }
        ctx.db = argv[++i];
      } else {
        ctx.db = a.substr(5);
      }
      if (ctx.db.empty()) {
        std::fprintf(stderr, "cardpoll: --db needs a path\n");
        return 2;
      }
      ctx.db_given = true;
    } else if (a == "--verbose") {
      verbose = true;
    } else if (command.empty() && (a == "--help" || a == "-h")) {
      want_help = true;
    } else if (command.empty() && a == "--version") {
      std::printf("cardpoll %s\n", CARDPOLL_VERSION);
      return 0;
    } else if (command.empty() && a == "help" && i + 1 < argc) {
      command = argv[++i];
      rest.push_back("--help");
    } else if (command.empty()) {
      if (a.size() > 1 && a[0] == '-') {
        std::fprintf(stderr, "cardpoll: unknown option %s (see cardpoll --help)\n", a.c_str());
        return 2;
      }
      command = a;
    } else {
      rest.push_back(a);
    }
  }
  // OpenCV's and FFmpeg's own warnings ("moov atom not found", "can't open camera by index")
  // say in library words what cardpoll's messages already say in the teacher's.
  set_library_warnings(verbose);
  // The database the teacher chose in the app's Settings, unless --db says otherwise.
  if (!ctx.db_given) {
    try {
      ctx.db = database_path(load_settings(settings_path()));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "cardpoll: %s (using %s)\n", e.what(), ctx.db.c_str());
    }
  }
  // No command: the teacher's window when there is a screen to show it on.
  if (command.empty() && !want_help && app::display_available()) command = "app";
  if (command.empty() || want_help) {
    print_help();
    return command.empty() && !want_help ? 2 : 0;
  }
  const auto& cmds = app::commands();
  auto it = cmds.find(command);
  if (it == cmds.end()) {
    std::fprintf(stderr, "cardpoll: unknown command '%s' (see cardpoll --help)\n", command.c_str());
    return 2;
  }
  const app::Command& cmd = it->second;
  for (const auto& a : rest) {
    if (a == "--") break;
    if (a == "--help" || a == "-h") {
      std::printf("%s", cmd.usage.c_str());
      return 0;
    }
  }
  try {
    return cmd.run(ctx, rest);
  } catch (const app::UsageError& e) {
    std::fprintf(stderr, "cardpoll %s: %s\n(see cardpoll %s --help)\n", command.c_str(), e.what(),
                 command.c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cardpoll %s: %s\n", command.c_str(), e.what());
    return 1;
  }
}
