#include "messaging/sms_segments.hpp"

#include <cstdint>
#include <vector>

namespace reos::messaging {
namespace {

// The GSM 03.38 default alphabet, by code point (one septet each).
bool in_gsm_basic(std::uint32_t c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  static const std::u32string kOthers =
      U"@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà";
  return kOthers.find(static_cast<char32_t>(c)) != std::u32string::npos;
}

// The extension table: an escape septet plus one (two septets each).
bool in_gsm_extension(std::uint32_t c) {
  static const std::u32string kExtension = U"^{}\\[~]|€\f";
  return kExtension.find(static_cast<char32_t>(c)) != std::u32string::npos;
}

// Decodes UTF-8; a malformed byte becomes U+FFFD (outside GSM-7, one UTF-16 unit).
std::vector<std::uint32_t> code_points(const std::string& s) {
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    int extra = b < 0x80 ? 0 : (b >> 5) == 6 ? 1 : (b >> 4) == 14 ? 2 : (b >> 3) == 30 ? 3 : -1;
    if (extra < 0 || (extra > 0 && i + extra >= s.size())) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    std::uint32_t c = extra == 0 ? b : b & (0x3F >> extra);
    bool ok = true;
    for (int k = 1; k <= extra; ++k) {
      const unsigned char cont = static_cast<unsigned char>(s[i + k]);
      if ((cont >> 6) != 2) ok = false;
      c = (c << 6) | (cont & 0x3F);
    }
    if (!ok) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(c);
    i += extra + 1;
  }
  return out;
}

int parts(int length, int single, int multi) {
  if (length == 0) return 0;
  if (length <= single) return 1;
  return (length + multi - 1) / multi;
}

}  // namespace

SmsSize measure_sms(const std::string& utf8) {
  const std::vector<std::uint32_t> chars = code_points(utf8);
  int septets = 0;
  bool gsm = true;
  for (const std::uint32_t c : chars) {
    if (in_gsm_basic(c)) {
      septets += 1;
    } else if (in_gsm_extension(c)) {
      septets += 2;
    } else {
      gsm = false;
      break;
    }
  }
  SmsSize size;
  if (gsm) {
    size.encoding = "GSM-7";
    size.length = septets;
    size.segments = parts(septets, 160, 153);
    return size;
  }
  int units = 0;
  for (const std::uint32_t c : chars) units += c > 0xFFFF ? 2 : 1;
  size.encoding = "UCS-2";
  size.length = units;
  size.segments = parts(units, 70, 67);
  return size;
}

}  // namespace reos::messaging
