#pragma once

// How an SMS body travels (3GPP TS 23.038 / 23.040): in the GSM 7-bit default alphabet when
// every character is in it (160 septets in one message, 153 per part when concatenated;
// characters of the extension table take two septets), else in UCS-2 (70 UTF-16 units, 67 per
// part). Providers bill per segment, so the API reports it.

#include <string>

namespace reos::messaging {

struct SmsSize {
  std::string encoding;  ///< "GSM-7" or "UCS-2"
  int length = 0;        ///< septets (GSM-7) or UTF-16 code units (UCS-2)
  int segments = 0;      ///< 0 for an empty body
};

/// Measures a UTF-8 SMS body (invalid UTF-8 bytes count as one UCS-2 unit each).
SmsSize measure_sms(const std::string& utf8);

}  // namespace reos::messaging
