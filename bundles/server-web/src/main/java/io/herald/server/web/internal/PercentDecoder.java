package io.herald.server.web.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import io.herald.api.spi.HeraldError;

/**
 * Strict percent-decoding of URL parts as UTF-8. A broken escape ({@code %zz}, a lone {@code %}) or bytes that are
 * not UTF-8 are refused with {@link HeraldError#MALFORMED_REQUEST} instead of being guessed at, so an action never
 * sees a half-decoded value.
 */
final class PercentDecoder {

    private PercentDecoder() {
    }

    /**
     * Decodes {@code text[from, to)}.
     *
     * @param plusIsSpace whether {@code +} stands for a space (query strings, forms, and Actionhero's route params)
     * @param where what is decoded, for the error message ("the query string", "the path")
     */
    static String decode(String text, int from, int to, boolean plusIsSpace, String where) throws WebException {
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            if (c == '%' || (plusIsSpace && c == '+') || c >= 0x80) {
                break;
            }
            i++;
        }
        if (i == to) {
            // The common case: nothing to decode.
            return text.substring(from, to);
        }
        byte[] bytes = new byte[to - from];
        int length = 0;
        for (int j = from; j < to; j++) {
            char c = text.charAt(j);
            if (c == '%') {
                int high = j + 1 < to ? Character.digit(text.charAt(j + 1), 16) : -1;
                int low = j + 2 < to ? Character.digit(text.charAt(j + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    String escape = text.substring(j, Math.min(j + 3, to));
                    throw new WebException(HeraldError.MALFORMED_REQUEST,
                            "invalid percent-encoding \"" + escape + "\" in " + where);
                }
                bytes[length++] = (byte) (high * 16 + low);
                j += 2;
            } else if (plusIsSpace && c == '+') {
                bytes[length++] = ' ';
            } else if (c < 0x80) {
                bytes[length++] = (byte) c;
            } else if (c == '\uFFFD') {
                // Jetty decodes a raw (not percent-encoded) URL as UTF-8 and puts U+FFFD where the bytes were not UTF-8:
                // refused like a bad percent-encoding rather than handed to the action as a replacement character.
                throw new WebException(HeraldError.MALFORMED_REQUEST, "bytes in " + where + " are not UTF-8");
            } else {
                // Not ASCII in a URL: Jetty hands it over as it came; re-encode as UTF-8.
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (length + encoded.length > bytes.length) {
                    bytes = java.util.Arrays.copyOf(bytes, bytes.length + encoded.length * 2);
                }
                System.arraycopy(encoded, 0, bytes, length, encoded.length);
                length += encoded.length;
            }
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new WebException(HeraldError.MALFORMED_REQUEST, "percent-encoded bytes in " + where + " are not UTF-8");
        }
    }
}
