/*
 * fuzz_decode_utf16: the UTF-16 decoder (scanner/lib/decode, iconv) through the
 * scanner's blob and file paths; see fuzz_decode.h for the invariants. The first
 * byte picks the byte order; the input follows that order's byte order mark.
 */
#include "fuzz_decode.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return decode_init();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char le[] = { 0xff, 0xfe }, be[] = { 0xfe, 0xff };
	if (size < 1)
		return 0;
	int big = data[0] & 1;
	data++;
	size--;
	/* FF FE 00 00 is UTF-32LE's mark, which is not decoded (binary): not this target */
	const unsigned char *m = big ? be : le;
	const uint8_t *after = size >= 2 && !memcmp(data, m, 2) ? data + 2 : data;
	size_t left = size - (size_t)(after - data);
	if (!big && left >= 2 && !after[0] && !after[1])
		return 0;
	return decode_one(data, size, m, 2, big ? "utf-16be" : "utf-16le");
}
