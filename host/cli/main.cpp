#include "cli/command_line.hpp"

int main(int argc, char** argv, char** envp) {
  return reos::cli::run(argc, argv, envp);
}
