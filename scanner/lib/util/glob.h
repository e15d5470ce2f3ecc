/*
 * glob: path globs (as in .gitignore, simplified) translated to PCRE2 regexes.
 *
 *   "*.log"      no slash: matches that name at any depth
 *   "build/"     a trailing slash is allowed and ignored
 *   "/dist"      a leading slash anchors at the scan root
 *   "**"         two stars cross directories ("docs" + "/" + "**": all under docs);
 *                one star and "?" stay within one directory
 *   "a/[bc]"     character classes ("[!x]" negates)
 *
 * A glob that matches a directory also matches everything beneath it.
 */
#ifndef BB_GLOB_H
#define BB_GLOB_H

#include "util.h"

/* Appends the regex for `glob` to out. BB_EINVAL for an empty glob or an
 * unterminated class. */
int bb_glob_to_regex(const char *glob, bb_buf *out);

#endif
