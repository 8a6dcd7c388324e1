// The password prompt: on the terminal, never echoed, never stored beyond the connection.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "school/server.h"

namespace cardpoll::school {

std::optional<std::string> ask_password_on_terminal(const std::string& question) {
  if (!isatty(STDIN_FILENO)) return std::nullopt;
  std::fprintf(stderr, "%s", question.c_str());
  std::fflush(stderr);
  termios old{};
  const bool can_hide = tcgetattr(STDIN_FILENO, &old) == 0;
  if (can_hide) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (can_hide) tcsetattr(STDIN_FILENO, TCSANOW, &old);
  std::fprintf(stderr, "\n");
  if (!got) return std::nullopt;
  return line;
}

}  // namespace cardpoll::school
