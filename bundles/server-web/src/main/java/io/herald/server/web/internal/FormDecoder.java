package io.herald.server.web.internal;

/**
 * Decodes {@code a=1&b=two} (query strings and {@code application/x-www-form-urlencoded} bodies) into params, bracket
 * names ({@code a[b]=c}) expanded by {@link BracketParams} as Actionhero's qs parser does.
 */
final class FormDecoder {

    private FormDecoder() {
    }

    /**
     * @param into where the pairs go, with its limits and how repeated names are kept
     * @param where what is decoded, for the error message
     */
    static void decodeInto(String encoded, BracketParams into, String where) throws WebException {
        int length = encoded.length();
        int start = 0;
        while (start <= length) {
            int end = encoded.indexOf('&', start);
            if (end < 0) {
                end = length;
            }
            if (end > start) {
                int equals = encoded.indexOf('=', start);
                if (equals < 0 || equals > end) {
                    equals = end;
                }
                // Counted before decoding: a query of a million empty names costs no more than maxFormFields pairs.
                into.count();
                String name = PercentDecoder.decode(encoded, start, equals, true, where);
                if (!name.isEmpty()) {
                    String value = equals < end ? PercentDecoder.decode(encoded, equals + 1, end, true, where) : "";
                    into.put(name, value);
                }
            }
            start = end + 1;
        }
    }
}
