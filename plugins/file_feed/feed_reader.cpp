#include "feed_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace file_feed {
namespace {

/// A buffered byte stream over a ByteSource that counts the offset and lines. Holds one chunk.
class Input {
 public:
  Input(ByteSource& source, const Cursor& at)
      : source_(source), pos_(at), buffer_start_(at.offset) {
    fill();
  }
  /// The next byte, or -1 at the end.
  int get() {
    const int c = peek();
    if (c < 0) return -1;
    ++pos_.offset;
    if (c == '\n') ++pos_.line;
    return c;
  }
  int peek() {
    if (pos_.offset - buffer_start_ >= buffer_.size() && !fill()) return -1;
    return static_cast<unsigned char>(buffer_[pos_.offset - buffer_start_]);
  }
  const Cursor& pos() const { return pos_; }

 private:
  // Replaces the buffer with the chunk at the current offset; false at the end.
  bool fill() {
    if (at_end_) return false;
    buffer_.clear();
    buffer_start_ = pos_.offset;
    if (source_.read(pos_.offset, source_.chunk_size(), buffer_) == 0) at_end_ = true;
    return !at_end_;
  }
  ByteSource& source_;
  Cursor pos_;
  std::string buffer_;
  std::uint64_t buffer_start_ = 0;
  bool at_end_ = false;
};

/// One CSV record: its fields, the line it started on, and an error when it is malformed.
struct CsvRow {
  std::vector<std::string> fields;
  std::uint64_t line = 0;
  std::string error;
  bool blank = false;
};

/// Reads one RFC 4180 record (quoted fields may hold commas, doubled quotes and line breaks;
/// CRLF or LF ends a record). Returns false at the end of the input.
bool read_csv_row(Input& in, CsvRow& row) {
  row = CsvRow{};
  row.line = in.pos().line;
  if (in.peek() < 0) return false;
  std::string field;
  bool quoted = false, after_quote = false, any = false;
  for (;;) {
    const int c = in.get();
    if (c < 0) {
      if (quoted) row.error = "unterminated quoted field";
      break;
    }
    any = true;
    if (quoted) {
      if (c != '"') {
        field.push_back(static_cast<char>(c));
      } else if (in.peek() == '"') {
        in.get();
        field.push_back('"');
      } else {
        quoted = false;
        after_quote = true;
      }
      continue;
    }
    if (c == ',') {
      row.fields.push_back(std::move(field));
      field.clear();
      after_quote = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && in.peek() == '\n') in.get();
      break;
    } else if (after_quote) {
      if (row.error.empty())
        row.error = "unexpected character after a closing quote in field " +
                    std::to_string(row.fields.size() + 1);
    } else if (c == '"' && field.empty()) {
      quoted = true;
    } else {
      field.push_back(static_cast<char>(c));
    }
  }
  row.fields.push_back(std::move(field));
  row.blank = any && row.fields.size() == 1 && row.fields[0].empty() && !after_quote;
  if (!any) row.blank = true;
  return true;
}

std::string malformed(const std::string& reason, std::uint64_t line) {
  return nlohmann::json{{"_malformed", reason}, {"_line", line}}.dump();
}

Page read_csv(ByteSource& source, const Cursor& from, std::size_t batch_size) {
  const std::string path = source.name();
  std::vector<std::string> header;
  Cursor body;
  {
    Input in(source, Cursor{});
    CsvRow row;
    do {
      if (!read_csv_row(in, row)) throw std::runtime_error("'" + path + "' has no header row");
    } while (row.blank);
    if (!row.error.empty()) throw std::runtime_error("'" + path + "': header: " + row.error);
    header = std::move(row.fields);
    body = in.pos();
  }
  Input in(source, from.offset == 0 ? body : from);
  Page page;
  CsvRow row;
  while (page.records.size() < batch_size && read_csv_row(in, row)) {
    if (row.blank) continue;
    if (!row.error.empty()) {
      page.records.push_back(malformed(row.error, row.line));
    } else if (row.fields.size() != header.size()) {
      page.records.push_back(malformed("expected " + std::to_string(header.size()) +
                                           " columns, found " + std::to_string(row.fields.size()),
                                       row.line));
    } else {
      nlohmann::json obj = nlohmann::json::object();
      for (std::size_t i = 0; i < header.size(); ++i) obj[header[i]] = std::move(row.fields[i]);
      page.records.push_back(obj.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
  }
  page.next = in.pos();
  page.has_more = in.peek() >= 0;
  return page;
}

Page read_jsonl(ByteSource& source, const Cursor& from, std::size_t batch_size) {
  Input in(source, from);
  Page page;
  while (page.records.size() < batch_size && in.peek() >= 0) {
    const std::uint64_t line = in.pos().line;
    std::string text;
    for (int c = in.get(); c >= 0 && c != '\n'; c = in.get()) text.push_back(static_cast<char>(c));
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    try {
      nlohmann::json obj = nlohmann::json::parse(text);
      if (!obj.is_object()) {
        page.records.push_back(
            malformed(std::string("expected a JSON object, got ") + obj.type_name(), line));
      } else {
        page.records.push_back(obj.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      }
    } catch (const nlohmann::json::parse_error& e) {
      page.records.push_back(malformed(std::string("bad JSON: ") + e.what(), line));
    }
  }
  page.next = in.pos();
  page.has_more = in.peek() >= 0;
  return page;
}

}  // namespace

Cursor parse_cursor(const std::string& text) {
  if (text.empty()) return Cursor{};
  std::vector<std::uint64_t> parts;
  const bool at_end = text.rfind("end:", 0) == 0;
  try {
    std::size_t at = at_end ? 4 : 0;
    for (;;) {
      const std::size_t colon = text.find(':', at);
      const std::string part = text.substr(at, colon == std::string::npos ? colon : colon - at);
      std::size_t used = 0;
      if (part.empty() || part[0] == '-') throw std::invalid_argument("part");
      parts.push_back(std::stoull(part, &used));
      if (used != part.size()) throw std::invalid_argument("part");
      if (colon == std::string::npos) break;
      at = colon + 1;
    }
  } catch (const std::exception&) {
    parts.clear();
  }
  Cursor c;
  if (at_end && parts.size() == 3) {
    c.at_end = true;
    c.inode = parts[0];
    c.size = parts[1];
    c.mtime_ns = static_cast<std::int64_t>(parts[2]);
    return c;
  }
  if (!at_end && (parts.size() == 2 || parts.size() == 4) && parts[1] > 0) {
    c.offset = parts[0];
    c.line = parts[1];
    if (parts.size() == 4) {
      c.inode = parts[2];
      c.mtime_ns = static_cast<std::int64_t>(parts[3]);
    }
    return c;
  }
  throw std::invalid_argument(
      "bad cursor '" + text +
      "' (expected <offset>:<line>:<inode>:<mtime> or end:<inode>:<size>:<mtime>)");
}

std::string to_string(const Cursor& c) {
  if (c.at_end) {
    return "end:" + std::to_string(c.inode) + ":" + std::to_string(c.size) + ":" +
           std::to_string(c.mtime_ns);
  }
  return std::to_string(c.offset) + ":" + std::to_string(c.line) +
         (c.inode ? ":" + std::to_string(c.inode) + ":" + std::to_string(c.mtime_ns)
                  : std::string());
}

FileSource::FileSource(std::string path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw std::runtime_error("cannot open '" + path_ + "'");
}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

ByteSource::Identity FileSource::identity() {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) throw std::runtime_error("cannot stat '" + path_ + "'");
  return {static_cast<std::uint64_t>(st.st_ino),
          static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
          static_cast<std::uint64_t>(st.st_size)};
}

std::size_t FileSource::read(std::uint64_t offset, std::size_t max, std::string& out) {
  const std::size_t before = out.size();
  out.resize(before + max);
  ssize_t n;
  do {
    n = ::pread(fd_, &out[before], max, static_cast<off_t>(offset));
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    out.resize(before);
    throw std::runtime_error("cannot read '" + path_ + "'");
  }
  out.resize(before + static_cast<std::size_t>(n));
  return static_cast<std::size_t>(n);
}

Page read_page(ByteSource& source, Format format, const Cursor& from, std::size_t batch_size) {
  const ByteSource::Identity now = source.identity();
  Cursor start = from;
  if (from.at_end) {
    if (from.inode == now.id && from.size == now.size && from.mtime_ns == now.version) {
      Page unchanged;
      unchanged.next = from;
      return unchanged;  // the feed was read to its end and has not changed since
    }
    start = Cursor{};  // changed: a new pass from the start
  } else if (from.inode != 0 && (from.inode != now.id || from.mtime_ns != now.version)) {
    start = Cursor{};  // replaced or modified in the middle of a pass
  }
  // A cursor past the end (a replaced, shorter file without identity in the cursor) reads
  // nothing and ends the pass.
  Page page = format == Format::csv ? read_csv(source, start, batch_size)
                                    : read_jsonl(source, start, batch_size);
  if (page.has_more) {
    page.next.inode = now.id;
    page.next.mtime_ns = now.version;
  } else {
    page.next = Cursor{};
    page.next.at_end = true;
    page.next.inode = now.id;
    page.next.size = now.size;
    page.next.mtime_ns = now.version;
  }
  return page;
}

Page read_page(const std::string& path, Format format, const Cursor& from, std::size_t batch_size) {
  FileSource source(path);
  return read_page(source, format, from, batch_size);
}

}  // namespace file_feed
