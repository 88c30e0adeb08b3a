package io.herald.tasks.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.herald.tasks.internal.wire.JsJson;

/**
 * Herald's {@link JsJson} against Node itself: for every JSON text, {@code JsJson.stringify(JsJson.parse(text))} must
 * be the bytes of {@code JSON.stringify(JSON.parse(text))} that node-resque writes,
 * since LREM, {@code timestamps:<job>}, lock keys and {@code removeFailed} match on those bytes. Hand-picked edge
 * cases first, then generated values (fixed seeds, so a failure repeats) with odd numbers, escapes, lone surrogates,
 * index-like keys and duplicate keys.
 */
class JsJsonNodeParityTest {

    private static final List<String> EDGE_CASES = List.of(
            "{\"class\":\"add\",\"queue\":\"math\",\"args\":[1,2]}",
            "[1.0, -0, -0.0, 0e0, 1E3, 1e21, 1e-7, 0.000001, 0.0000001, 123456789012345678, 1.5e300, 5e-324]",
            "[9007199254740992, 9007199254740993, -9007199254740993, 123456789012345678901234567890, 1E400, -1e400]",
            "[0.1, 0.2, 0.30000000000000004, 100, 1e2, 2.5e-5, 1.7976931348623157e308, 4.9e-324, 2e-323]",
            "{\"b\":1,\"a\":2,\"10\":3,\"2\":4,\"01\":5,\"-1\":6,\"4294967294\":7,\"4294967295\":8,\"1.5\":9}",
            "{\"a\":1,\"b\":2,\"a\":3}",
            "\"/ \\/ é \\u00e9 \\u2028 \\u2029 \\u007f \\u0000 \\u001f \\b\\f\\n\\r\\t \\\" \\\\\"",
            "[\"\\ud800\", \"\\udc00\", \"\\ud83d\\ude00\", \"😀\", \"\\udc00\\ud800\", \"a\\ud800b\"]",
            "{\"\":\"\",\"nested\":{\"deep\":[[],{},[{}],null,true,false]}}",
            "  \t\r\n {\"spaced\" : [ 1 , 2 ] } \n",
            "[{\"name\":\"x\",\"when\":\"2024-01-02T03:04:05.678Z\",\"list\":[\"a\",{\"z\":0,\"y\":-1.25}]}]");

    @Test
    void edgeCasesMatchNodeByteForByte() {
        assertParity(EDGE_CASES);
    }

    @Test
    void generatedValuesMatchNodeByteForByte() {
        List<String> texts = new ArrayList<>();
        for (long seed = 1; seed <= 4; seed++) {
            Random random = new Random(seed);
            for (int i = 0; i < 250; i++) {
                StringBuilder text = new StringBuilder();
                new Generator(random).value(text, 0);
                texts.add(text.toString());
            }
        }
        assertParity(texts);
    }

    private static void assertParity(List<String> texts) {
        NodeResque node = NodeResque.withoutRedis();
        String input = String.join("\n", texts) + "\n";
        NodeProcess.Result result;
        try (NodeProcess process = node.startWithInput(input, "stringify.js", "--lines")) {
            result = process.awaitExit(NodeResque.PROCESS_TIMEOUT).requireExitZero();
        }
        String[] written = result.stdout().split("\n", -1);
        assertEquals(texts.size() + 1, written.length, "one line per value (and the final newline)");
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(written[i], JsJson.stringify(JsJson.parse(texts.get(i))), "JSON text: " + texts.get(i));
        }
    }

    /** Random JSON text, written in varied but valid ways (escapes or raw characters, number forms, whitespace). */
    private static final class Generator {

        private static final String[] KEYS = {"class", "queue", "args", "a", "b", "0", "1", "2", "10", "01", "-1",
                "4294967294", "4294967295", "x y", "é", "", "1.0", "00"};
        private static final String SPECIAL = "\"\\/\u2028\u2029\u007f\u0080\u00e9\ufeff\uffff";

        private final Random random;

        Generator(Random random) {
            this.random = random;
        }

        void value(StringBuilder out, int depth) {
            int kind = random.nextInt(depth >= 3 ? 4 : 6);
            switch (kind) {
                case 0 -> out.append(random.nextBoolean() ? "true" : random.nextBoolean() ? "false" : "null");
                case 1, 2 -> number(out);
                case 3 -> string(out);
                case 4 -> {
                    out.append('[');
                    int size = random.nextInt(5);
                    for (int i = 0; i < size; i++) {
                        if (i > 0) {
                            out.append(space()).append(',').append(space());
                        }
                        value(out, depth + 1);
                    }
                    out.append(']');
                }
                default -> {
                    out.append('{');
                    int size = random.nextInt(5);
                    for (int i = 0; i < size; i++) {
                        if (i > 0) {
                            out.append(',');
                        }
                        if (random.nextInt(3) == 0) {
                            string(out);
                        } else {
                            out.append('"').append(KEYS[random.nextInt(KEYS.length)]).append('"');
                        }
                        out.append(space()).append(':').append(space());
                        value(out, depth + 1);
                    }
                    out.append('}');
                }
            }
        }

        private String space() {
            return random.nextInt(8) == 0 ? " " : "";
        }

        private void number(StringBuilder out) {
            switch (random.nextInt(7)) {
                case 0 -> out.append(random.nextInt(2001) - 1000);
                case 1 -> out.append(random.nextLong());
                case 2 -> {
                    double value = Double.longBitsToDouble(random.nextLong());
                    out.append(Double.isFinite(value) ? Double.toString(value) : "0");
                }
                case 3 -> out.append(random.nextDouble() * Math.pow(10, random.nextInt(60) - 30));
                case 4 -> out.append(random.nextInt(100)).append('.').append(random.nextInt(1000))
                        .append(random.nextBoolean() ? "e" : "E").append(random.nextBoolean() ? "-" : "+")
                        .append(random.nextInt(30));
                case 5 -> out.append(random.nextInt(1000)).append(".0");
                default -> {
                    // long digit strings: beyond long and beyond double's precision
                    out.append(random.nextBoolean() ? "-" : "").append(1 + random.nextInt(9));
                    int digits = 10 + random.nextInt(30);
                    for (int i = 0; i < digits; i++) {
                        out.append(random.nextInt(10));
                    }
                }
            }
        }

        private void string(StringBuilder out) {
            out.append('"');
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                char c = character();
                boolean escape = c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)
                        || random.nextInt(6) == 0;
                if (escape) {
                    switch (c) {
                        case '"' -> out.append("\\\"");
                        case '\\' -> out.append("\\\\");
                        case '/' -> out.append(random.nextBoolean() ? "\\/" : "/");
                        default -> out.append(String.format(random.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c));
                    }
                } else {
                    out.append(c);
                }
            }
            out.append('"');
        }

        private char character() {
            return switch (random.nextInt(8)) {
                case 0 -> (char) random.nextInt(0x20);
                case 1 -> (char) (0xD800 + random.nextInt(0x800)); // surrogates, mostly lone
                case 2 -> SPECIAL.charAt(random.nextInt(SPECIAL.length()));
                case 3 -> (char) (0x80 + random.nextInt(0xD800 - 0x80));
                default -> (char) (0x20 + random.nextInt(0x5f));
            };
        }
    }
}
