#include "prometheus_text.hpp"

#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>

namespace reos::test {
namespace {

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

bool valid_name(const std::string& s) {
  if (s.empty() || !is_name_start(s[0])) return false;
  for (char c : s) {
    if (!is_name_char(c)) return false;
  }
  return true;
}

bool parse_float(const std::string& s, double& out) {
  if (s == "+Inf" || s == "Inf") {
    out = HUGE_VAL;
    return true;
  }
  if (s == "-Inf") {
    out = -HUGE_VAL;
    return true;
  }
  if (s == "NaN") {
    out = std::nan("");
    return true;
  }
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
      return false;
  }
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

// Sample line: name[{l="v",...}] value [timestamp]
std::string parse_sample(const std::string& line, PromSample& s) {
  std::size_t i = 0;
  while (i < line.size() && is_name_char(line[i])) ++i;
  s.name = line.substr(0, i);
  if (!valid_name(s.name)) return "bad metric name";
  if (i < line.size() && line[i] == '{') {
    ++i;
    bool first = true;
    while (true) {
      if (i >= line.size()) return "unterminated label set";
      if (line[i] == '}') {
        ++i;
        break;
      }
      if (!first) {
        if (line[i] != ',') return "expected ',' between labels";
        ++i;
      }
      first = false;
      std::size_t start = i;
      while (i < line.size() && is_name_char(line[i])) ++i;
      std::string lname = line.substr(start, i - start);
      if (!valid_name(lname) || lname.find(':') != std::string::npos) return "bad label name";
      if (line.compare(i, 2, "=\"") != 0) return "expected =\" after label name";
      i += 2;
      std::string value;
      while (true) {
        if (i >= line.size()) return "unterminated label value";
        char c = line[i++];
        if (c == '"') break;
        if (c == '\\') {
          if (i >= line.size()) return "dangling escape";
          char e = line[i++];
          if (e == '\\')
            value += '\\';
          else if (e == '"')
            value += '"';
          else if (e == 'n')
            value += '\n';
          else
            return "unknown escape in label value";
        } else {
          value += c;
        }
      }
      if (!s.labels.emplace(lname, value).second) return "repeated label " + lname;
    }
  }
  if (i >= line.size() || line[i] != ' ') return "expected one space before the value";
  ++i;
  std::string rest = line.substr(i);
  auto sp = rest.find(' ');
  std::string value = rest.substr(0, sp);
  if (!parse_float(value, s.value)) return "bad value '" + value + "'";
  if (sp != std::string::npos) {
    std::string ts = rest.substr(sp + 1);
    if (ts.empty() || ts.find_first_not_of("-0123456789") != std::string::npos)
      return "bad timestamp";
  }
  return "";
}

std::string family_of(const std::string& sample, const std::map<std::string, PromFamily>& fams) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    std::string suf(suffix);
    if (sample.size() > suf.size() &&
        sample.compare(sample.size() - suf.size(), suf.size(), suf) == 0) {
      std::string base = sample.substr(0, sample.size() - suf.size());
      auto it = fams.find(base);
      if (it != fams.end() && (it->second.type == "histogram" || it->second.type == "summary"))
        return base;
    }
  }
  return sample;
}

}  // namespace

std::optional<double> PromExposition::value(
    const std::string& name, const std::map<std::string, std::string>& labels) const {
  for (const auto& s : samples) {
    if (s.name == name && s.labels == labels) return s.value;
  }
  return std::nullopt;
}

std::string parse_prometheus_text(const std::string& text, PromExposition& out) {
  if (text.empty()) return "line 0: empty exposition";
  if (text.back() != '\n') return "line 0: does not end with a newline";
  std::istringstream in(text);
  std::string line;
  int n = 0;
  std::set<std::string> has_help, has_type, finished;
  std::string current;  // family whose samples are being read (must be contiguous)
  std::set<std::pair<std::string, std::map<std::string, std::string>>> seen;
  auto err = [&](const std::string& what) { return "line " + std::to_string(n) + ": " + what; };

  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) return err("blank line");
    if (line[0] == '#') {
      std::istringstream ls(line);
      std::string hash, kind, name;
      ls >> hash >> kind >> name;
      if (hash != "#" || (kind != "HELP" && kind != "TYPE")) return err("stray comment");
      if (!valid_name(name)) return err("bad metric name in " + kind);
      if (finished.count(name) || current == name)
        return err("metadata for " + name + " after its samples");
      std::string prefix = "# " + kind + " " + name + " ";
      if (line.compare(0, prefix.size(), prefix) != 0) return err("malformed " + kind);
      std::string rest = line.substr(prefix.size());
      if (kind == "HELP") {
        if (!has_help.insert(name).second) return err("second HELP for " + name);
        for (std::size_t i = 0; i < rest.size(); ++i) {
          if (rest[i] == '\\' &&
              (i + 1 >= rest.size() || (rest[i + 1] != '\\' && rest[i + 1] != 'n')))
            return err("bad escape in HELP");
          if (rest[i] == '\\') ++i;
        }
        out.families[name].help = rest;
      } else {
        if (!has_type.insert(name).second) return err("second TYPE for " + name);
        static const std::set<std::string> types{"counter", "gauge", "histogram", "summary",
                                                 "untyped"};
        if (!types.count(rest)) return err("unknown TYPE '" + rest + "'");
        out.families[name].type = rest;
      }
      continue;
    }
    PromSample s;
    std::string e = parse_sample(line, s);
    if (!e.empty()) return err(e);
    std::string fam = family_of(s.name, out.families);
    if (!has_help.count(fam)) return err("sample of " + fam + " without HELP");
    if (!has_type.count(fam)) return err("sample of " + fam + " without TYPE");
    if (fam != current) {
      if (finished.count(fam)) return err("samples of " + fam + " are not contiguous");
      if (!current.empty()) finished.insert(current);
      current = fam;
    }
    const auto& type = out.families[fam].type;
    if (type == "histogram" && s.name == fam) return err("bare sample in histogram " + fam);
    if (type == "histogram" && s.name == fam + "_bucket" && !s.labels.count("le"))
      return err("bucket without le");
    if (type == "counter" && !(s.value >= 0)) return err("negative or NaN counter");
    if (!seen.insert({s.name, s.labels}).second) return err("duplicate series " + s.name);
    out.samples.push_back(std::move(s));
  }
  return "";
}

std::string check_histograms(const PromExposition& exp) {
  for (const auto& [name, fam] : exp.families) {
    if (fam.type != "histogram") continue;
    // series labels (without le) -> buckets in order of appearance
    std::map<std::map<std::string, std::string>, std::vector<std::pair<double, double>>> buckets;
    for (const auto& s : exp.samples) {
      if (s.name != name + "_bucket") continue;
      auto labels = s.labels;
      double le = 0;
      if (!parse_float(labels["le"], le)) return name + ": bad le '" + labels["le"] + "'";
      labels.erase("le");
      buckets[labels].emplace_back(le, s.value);
    }
    for (const auto& [labels, list] : buckets) {
      for (std::size_t i = 1; i < list.size(); ++i) {
        if (!(list[i].first > list[i - 1].first)) return name + ": le not increasing";
        if (list[i].second < list[i - 1].second) return name + ": buckets not cumulative";
      }
      if (list.empty() || !std::isinf(list.back().first) || list.back().first < 0)
        return name + ": last bucket is not +Inf";
      auto count = exp.value(name + "_count", labels);
      if (!count) return name + ": missing _count";
      if (*count != list.back().second) return name + ": _count differs from +Inf bucket";
      if (!exp.value(name + "_sum", labels)) return name + ": missing _sum";
    }
    for (const auto& s : exp.samples) {
      if ((s.name == name + "_count" || s.name == name + "_sum") && !buckets.count(s.labels))
        return name + ": " + s.name + " without buckets";
    }
  }
  return "";
}

}  // namespace reos::test
