#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace reos::log {

enum class Level { trace, debug, info, warn, error, critical, off };

/// One extra key/value on a log line (values are strings; render numbers yourself).
struct Field {
  std::string_view key;
  std::string value;
};

/// Configures the process logger. `level` is trace|debug|info|warn|error|critical|off;
/// `format` is json (one JSON object per line), text (for people), or auto (text when stderr
/// is a TTY, else json). Returns false and leaves the logger unchanged on an unknown value.
/// Safe to call again (e.g. after the config is loaded); not to be raced with itself.
bool init(std::string_view level, std::string_view format);

/// True when a line at `level` would be written (skip expensive formatting otherwise).
bool enabled(Level level);

/// Writes one line to stderr: ts, level, msg, then the thread's context fields
/// (request_id, correlation_id, tenant, …), then `fields`. Thread-safe.
void write(Level level, std::string_view msg, std::initializer_list<Field> fields = {});

inline void debug(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::debug, m, f);
}
inline void info(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::info, m, f);
}
inline void warn(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::warn, m, f);
}
inline void error(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::error, m, f);
}

/// Adds `key=value` to every line this thread writes while the object lives (a request id
/// for the length of a request, a correlation id for a job). Nests; restores on destruction.
class ScopedContext {
 public:
  ScopedContext(std::string_view key, std::string value);
  ~ScopedContext();
  ScopedContext(const ScopedContext&) = delete;
  ScopedContext& operator=(const ScopedContext&) = delete;

 private:
  std::size_t previous_size_;
};

}  // namespace reos::log
