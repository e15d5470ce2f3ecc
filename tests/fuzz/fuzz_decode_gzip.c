/*
 * fuzz_decode_gzip: the gzip decoder (scanner/lib/decode) through the scanner's
 * blob and file paths; see fuzz_decode.h for the invariants.
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
	static const unsigned char magic[] = { 0x1f, 0x8b, 0x08 };
	return decode_one(data, size, magic, sizeof magic, "gzip");
}
