package io.herald.core.json;

/**
 * Strict UTF-8 (RFC 3629) validation of raw bytes: the shortest form only (no overlong {@code C0 AF} for {@code /}),
 * no encoded surrogates ({@code ED A0 80}), nothing beyond U+10FFFF, every sequence complete.
 */
final class Utf8 {

    private Utf8() {
    }

    /** The index of the first byte that starts an invalid sequence, or -1 when {@code bytes} are all valid UTF-8. */
    static int firstInvalid(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            int lead = bytes[i];
            if (lead >= 0) {
                i++;
                continue;
            }
            lead &= 0xFF;
            int length;
            int min = 0x80;
            int max = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                length = 2;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                length = 3;
                if (lead == 0xE0) {
                    min = 0xA0; // shorter forms are overlong
                } else if (lead == 0xED) {
                    max = 0x9F; // ED A0..BF encodes a surrogate
                }
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                length = 4;
                if (lead == 0xF0) {
                    min = 0x90;
                } else if (lead == 0xF4) {
                    max = 0x8F; // beyond U+10FFFF
                }
            } else {
                return i; // a continuation byte first, C0/C1 (overlong) or F5..FF (never in UTF-8)
            }
            if (i + length > n) {
                return i;
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < min || second > max) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                int next = bytes[i + k] & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }
}
