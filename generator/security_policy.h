// The one Content-Security-Policy of the site. The page templates put it in a
// <meta http-equiv> tag and `signpost serve` sends it as a response header,
// so both must read it from here rather than spell it out again.
#ifndef SIGNPOST_SECURITY_POLICY_H_
#define SIGNPOST_SECURITY_POLICY_H_

namespace signpost {

/// Only same-origin scripts, styles, images, fonts and fetches; no inline
/// script or style, nothing else at all (default-src 'none' also rules out
/// plugins and frames), no <base>, forms post only to the site. Every
/// directive here also works in a <meta> tag (frame-ancestors would not).
inline constexpr char kContentSecurityPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'";

}  // namespace signpost

#endif  // SIGNPOST_SECURITY_POLICY_H_
