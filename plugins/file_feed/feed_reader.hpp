#pragma once

// file_feed's reading side, independent of the plugin ABI so it can be tested on its own:
// one page of records from a CSV (RFC 4180) or JSON Lines file, streamed from a byte offset.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace file_feed {

/// The file formats file_feed reads.
enum class Format { csv, jsonl };

/// Where a page starts. In the middle of a pass: a byte offset into the file, the 1-based line
/// number found there (so malformed-row reports name the line), and the identity of the file
/// the pass reads (inode, modification time in ns): "<offset>:<line>:<inode>:<mtime ns>". A
/// file replaced or modified mid-pass is read again from the start, and two passes over two
/// versions of a file never share a cursor (the host de-duplicates follow-up pulls by cursor).
/// After the last page: "end:<inode>:<size>:<mtime ns>" — the next pull emits nothing while the
/// file is unchanged, and starts a new pass once it changed. "" = the start.
struct Cursor {
  std::uint64_t offset = 0;
  std::uint64_t line = 1;
  std::uint64_t inode = 0;  ///< 0 = unknown (any file)
  std::int64_t mtime_ns = 0;
  bool at_end = false;     ///< a finished pass
  std::uint64_t size = 0;  ///< at the end: the size of the file read
};

/// Parses a cursor written by to_string ("" = the start; "<offset>:<line>" is accepted too).
/// Throws std::invalid_argument.
Cursor parse_cursor(const std::string& text);
/// The text form described at Cursor.
std::string to_string(const Cursor& cursor);

/// One page: each record is the JSON text of an object. CSV rows become
/// {"<header>": "<value>", ...} with every value a string; a row that cannot be read becomes
/// {"_malformed": "<reason>", "_line": n} so the host can quarantine it with the reason.
struct Page {
  std::vector<std::string> records;
  Cursor next;            ///< where the next page starts (an end cursor after the last page)
  bool has_more = false;  ///< false once the end of the file was reached
};

/// Where a feed's bytes come from: a local file (FileSource) or an HTTP resource read by byte
/// ranges (http_source.hpp). Reads are positional, so a page never needs the whole feed.
class ByteSource {
 public:
  /// What identifies one version of the feed (a replaced or modified feed gets a new one).
  struct Identity {
    std::uint64_t id = 0;      ///< inode, or a hash of the HTTP validator (ETag/Last-Modified)
    std::int64_t version = 0;  ///< mtime in ns (files); 0 for HTTP (the validator is the id)
    std::uint64_t size = 0;
  };
  virtual ~ByteSource() = default;
  /// Throws std::runtime_error when the feed cannot be reached.
  virtual Identity identity() = 0;
  /// Appends up to `max` bytes from `offset` to `out`; returns how many (0 = the end).
  virtual std::size_t read(std::uint64_t offset, std::size_t max, std::string& out) = 0;
  /// For messages: the path, or the URL without secrets.
  virtual std::string name() const = 0;
  /// Bytes asked for per read().
  virtual std::size_t chunk_size() const { return 64 * 1024; }
};

/// A local file.
class FileSource final : public ByteSource {
 public:
  explicit FileSource(std::string path);
  ~FileSource() override;
  Identity identity() override;
  std::size_t read(std::uint64_t offset, std::size_t max, std::string& out) override;
  std::string name() const override { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

/// read_page over any ByteSource (the same rules as the path form below).
Page read_page(ByteSource& source, Format format, const Cursor& from, std::size_t batch_size);

/// Reads up to `batch_size` records from `path` starting at `from` (see Cursor for passes). For CSV
/// the header (the first record of the file) is read on every call; it is never emitted. Blank
/// lines are skipped. Reads through a buffered stream: memory is bounded by the page, not the file.
/// Throws std::runtime_error when the file cannot be opened or the CSV has no header.
Page read_page(const std::string& path, Format format, const Cursor& from, std::size_t batch_size);

}  // namespace file_feed
