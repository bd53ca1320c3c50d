#include "log/logger.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <mutex>
#include <vector>

namespace reos::log {
namespace {

struct ContextEntry {
  std::string key;
  std::string value;
};

thread_local std::vector<ContextEntry> t_context;

enum class Format { json, text };

struct State {
  std::mutex mutex;
  std::shared_ptr<spdlog::logger> logger;
  Format format = Format::text;
  Level level = Level::info;
};

State& state() {
  static State s;
  return s;
}

spdlog::level::level_enum to_spdlog(Level l) {
  switch (l) {
    case Level::trace:
      return spdlog::level::trace;
    case Level::debug:
      return spdlog::level::debug;
    case Level::info:
      return spdlog::level::info;
    case Level::warn:
      return spdlog::level::warn;
    case Level::error:
      return spdlog::level::err;
    case Level::critical:
      return spdlog::level::critical;
    case Level::off:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

const char* level_name(Level l) {
  switch (l) {
    case Level::trace:
      return "trace";
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
    case Level::critical:
      return "critical";
    case Level::off:
      return "off";
  }
  return "info";
}

bool parse_level(std::string_view s, Level& out) {
  for (Level l : {Level::trace, Level::debug, Level::info, Level::warn, Level::error,
                  Level::critical, Level::off}) {
    if (s == level_name(l)) {
      out = l;
      return true;
    }
  }
  return false;
}

// JSON string escaping per RFC 8259; bytes >= 0x80 pass through (input is UTF-8).
void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          static const char* hex = "0123456789abcdef";
          out += "\\u00";
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 0xf]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

std::string timestamp_utc() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  const std::time_t t = system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms));
  return buf;
}

std::shared_ptr<spdlog::logger> make_logger() {
  // Our formatter builds the whole line; spdlog supplies levels, locking and the sink.
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("reos", sink);
  logger->set_pattern("%v");
  logger->flush_on(spdlog::level::trace);
  return logger;
}

}  // namespace

bool init(std::string_view level, std::string_view format) {
  Level l;
  if (!parse_level(level, l)) return false;
  Format f;
  if (format == "json") {
    f = Format::json;
  } else if (format == "text") {
    f = Format::text;
  } else if (format == "auto") {
    f = isatty(STDERR_FILENO) ? Format::text : Format::json;
  } else {
    return false;
  }
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!s.logger) s.logger = make_logger();
  s.format = f;
  s.level = l;
  s.logger->set_level(to_spdlog(l));
  return true;
}

bool enabled(Level level) {
  State& s = state();
  return level != Level::off && level >= s.level;
}

void write(Level level, std::string_view msg, std::initializer_list<Field> fields) {
  State& s = state();
  if (!enabled(level)) return;
  std::shared_ptr<spdlog::logger> logger;
  Format format;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (!s.logger) s.logger = make_logger();
    logger = s.logger;
    format = s.format;
  }
  std::string line;
  line.reserve(128 + msg.size());
  if (format == Format::json) {
    line += "{\"ts\":";
    append_json_string(line, timestamp_utc());
    line += ",\"level\":";
    append_json_string(line, level_name(level));
    line += ",\"msg\":";
    append_json_string(line, msg);
    auto add = [&line](std::string_view k, std::string_view v) {
      line.push_back(',');
      append_json_string(line, k);
      line.push_back(':');
      append_json_string(line, v);
    };
    for (const auto& c : t_context) add(c.key, c.value);
    for (const auto& f : fields) add(f.key, f.value);
    line.push_back('}');
  } else {
    line += timestamp_utc();
    line.push_back(' ');
    line += level_name(level);
    line.push_back(' ');
    line += msg;
    for (const auto& c : t_context) line += " " + c.key + "=" + c.value;
    for (const auto& f : fields) {
      line.push_back(' ');
      line += f.key;
      line.push_back('=');
      line += f.value;
    }
  }
  logger->log(to_spdlog(level), "{}", line);
}

ScopedContext::ScopedContext(std::string_view key, std::string value)
    : previous_size_(t_context.size()) {
  t_context.push_back({std::string(key), std::move(value)});
}

ScopedContext::~ScopedContext() {
  t_context.resize(previous_size_);
}

}  // namespace reos::log
