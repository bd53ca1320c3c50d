#include "config/text_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace reos::config {

std::string read_text_file(const std::string& path, std::string& content) {
  errno = 0;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) return std::strerror(errno != 0 ? errno : ENOENT);
  content.clear();
  char buffer[8192];
  std::size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    content.append(buffer, count);
  }
  // fopen succeeds on a directory; the read is what fails (EISDIR).
  if (std::ferror(file.get())) return std::strerror(errno != 0 ? errno : EIO);
  return {};
}

}  // namespace reos::config
