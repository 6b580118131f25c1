#pragma once

#include <string>

namespace ferry::pagerduty {

// The origin marker of the notes and status updates Ferry posts.
//
// PagerDuty notes have no properties and cannot be edited, so the marker
// must be in the text: the writer's crash protocol finds a note posted
// before a crash by its marker (docs/writer.md), and matching on content
// and time instead would take an older note with the same words for the
// new one (or miss the new one) whenever Ferry's clock and PagerDuty's
// disagree. The marker is kept as short as that allows: an empty line and
// "(ferry <12 hex digits>)", the first 48 bits of the SHA-256 of the
// origin, so two origins of one incident share a marker with odds of about
// n² / 2^49 for n notes.

// `body` followed by the marker of `origin`.
std::string WithOriginMarker(const std::string& body, const std::string& origin);

// Whether a note's or status update's text carries the marker of `origin`:
// the short marker, or the line "-- ferry origin: <origin>" that versions
// before it wrote, so notes posted before an upgrade keep their link.
bool CarriesOrigin(const std::string& text, const std::string& origin);

}  // namespace ferry::pagerduty
