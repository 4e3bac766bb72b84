//! Reading numbers the Norwegian way (files.md "Numbers"): decimal comma or point, digit
//! groups separated by spaces (also U+00A0 and U+202F) or points, `-` or `−` minus, a
//! trailing `%` or `kr`. Exact: the digits are kept as an integer and a scale, so amounts in
//! kroner reach øre without binary floating point.
