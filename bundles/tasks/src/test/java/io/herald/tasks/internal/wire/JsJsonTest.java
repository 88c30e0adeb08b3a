package io.herald.tasks.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;

import org.junit.jupiter.api.Test;

/** {@link JsJson} and {@link JsNumbers} against the real {@code JSON.stringify}/{@code JSON.parse} of Node.js. */
class JsJsonTest {

    private static final double[] TRICKY_DOUBLES = {0.0, -0.0, 1, -1, 1.5, -1.5, 0.1, 0.2, 0.1 + 0.2, 1.0 / 3, 2.0 / 3,
        100, 1e20, 1e21, 1e22, 1.5e21, 123456789012345680000.0, 1e-6, 1e-7, 1.5e-7, 0.000001234, 123e-20, 4.35, 0.5,
        9007199254740992.0, 9007199254740994.0, 9007199254740996.0, 2.82879384806159e17, 1e23, 5e-324,
        Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 1.7976931348623157e308, 4.9406564584124654e-324,
        2.2250738585072014E-308, 123.456, 1e15, 1e16, 1e17, 12345678.9, 0.30000000000000004, 299792458, 6.02214076e23,
        1.602176634e-19, Math.PI, Math.E, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

    @Test
    void doublesPrintAsJavaScriptPrintsThem() {
        List<Double> values = new ArrayList<>();
        for (double value : TRICKY_DOUBLES) {
            values.add(value);
            values.add(-value);
        }
        Random random = new Random(20_141_212);
        for (int i = 0; i < 2000; i++) {
            double any = Double.longBitsToDouble(random.nextLong());
            values.add(Double.isNaN(any) ? 0.0 : any); // random bits: every exponent
            values.add(random.nextInt(1_000_000) / Math.pow(10, random.nextInt(12))); // "decimal" values
            values.add(random.nextDouble() * Math.pow(10, random.nextInt(60) - 30));
        }
        String input = values.stream().map(v -> Long.toHexString(Double.doubleToRawLongBits(v)))
                .collect(Collectors.joining("\n"));
        List<String> node = Node.run("""
                const lines = require('fs').readFileSync(0, 'utf8').split('\\n');
                const out = [];
                for (const hex of lines) {
                  const x = Buffer.from(hex.padStart(16, '0'), 'hex').readDoubleBE(0);
                  out.push(String(x) + ' ' + JSON.stringify(x) + ' ' + JSON.stringify([x]));
                }
                console.log(out.join('\\n'));
                """, input);
        assertEquals(values.size(), node.size());
        for (int i = 0; i < values.size(); i++) {
            double value = values.get(i);
            String java = JsNumbers.toJsString(value) + " " + JsJson.stringify(value) + " "
                    + JsJson.stringify(List.of(value));
            assertEquals(node.get(i), java, "double " + value + " (bits " + Double.doubleToRawLongBits(value) + ")");
        }
    }

    @Test
    void integersBeyondTwoToThe53AreTheDoubleJavaScriptHolds() {
        long[] longs = {0, 1, -1, 42, Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 53, (1L << 53) + 1, (1L << 53) + 3,
            -(1L << 53) - 1, 1L << 62, 1_234_567_890_123_456_789L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
        String input = Arrays.stream(longs).mapToObj(Long::toString).collect(Collectors.joining("\n"));
        List<String> node = Node.run("""
                const lines = require('fs').readFileSync(0, 'utf8').split('\\n');
                console.log(lines.map(s => JSON.stringify(Number(BigInt(s)))).join('\\n'));
                """, input);
        for (int i = 0; i < longs.length; i++) {
            assertEquals(node.get(i), JsJson.stringify(longs[i]), "long " + longs[i]);
            assertEquals(node.get(i), JsJson.stringify(BigInteger.valueOf(longs[i])), "BigInteger " + longs[i]);
        }
        assertEquals("1", JsJson.stringify((short) 1));
        assertEquals("-7", JsJson.stringify((byte) -7));
        assertEquals("0.1", JsJson.stringify(0.1f), "a float is written as its decimal, not as the widened double");
        assertEquals("1e+21", JsJson.stringify(new BigDecimal("1000000000000000000000.0")));
        assertEquals("0.1", JsJson.stringify(new BigDecimal("0.10")));
        assertEquals("null", JsJson.stringify(Float.NaN));
    }

    @Test
    void stringsAreEscapedAsJavaScriptEscapesThem() {
        List<String> strings = new ArrayList<>(List.of("", "plain", "a/b", "</script>", "\u0000", "\u0001\u001f",
                "\u007f\u0080\u009f", "\u2028\u2029", "é漢字", "😀", "\ud800", "\udc00", "\udc00\ud800", "a\ud800b",
                "\ud83d", "x\ude00", "\"\\", "\b\f\n\r\t", "\u000b", "'single'", "\ufeff\ufffe\uffff"));
        Random random = new Random(1234);
        for (int i = 0; i < 500; i++) {
            char[] chars = new char[random.nextInt(12)];
            for (int j = 0; j < chars.length; j++) {
                int kind = random.nextInt(6);
                chars[j] = (char) switch (kind) {
                    case 0 -> random.nextInt(0x30); // controls and ASCII punctuation
                    case 1 -> 0xD800 + random.nextInt(0x800); // surrogates, paired or not
                    case 2 -> random.nextInt(0x10000);
                    case 3 -> '"' + (random.nextBoolean() ? 0 : '\\' - '"');
                    default -> 0x20 + random.nextInt(0x60);
                };
            }
            strings.add(new String(chars));
        }
        String input = strings.stream().map(s -> s.chars().mapToObj(Integer::toString).collect(Collectors.joining(",")))
                .collect(Collectors.joining("\n"));
        List<String> node = Node.run("""
                const lines = require('fs').readFileSync(0, 'utf8').split('\\n');
                const out = lines.map(l => JSON.stringify(l === '' ? '' : String.fromCharCode(...l.split(',').map(Number))));
                process.stdout.write(out.join('\\n') + '\\n');
                """, input);
        assertEquals(strings.size(), node.size());
        for (int i = 0; i < strings.size(); i++) {
            String text = strings.get(i);
            assertEquals(node.get(i), JsJson.quote(text), () -> "string of code units " + text.chars()
                    .mapToObj(Integer::toHexString).collect(Collectors.joining(" ")));
            assertEquals(node.get(i), JsJson.stringify(text));
        }
    }

    @Test
    void objectsPutArrayIndexKeysFirstAsJavaScriptDoes() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("b", 1);
        map.put("2", 2);
        map.put("a", List.of(1, "x", true, false));
        map.put("1", null);
        map.put("01", 5);
        map.put("4294967294", 6);
        map.put("4294967295", 7);
        map.put("-1", 8);
        map.put("", Map.of());
        map.put("1.5", List.of());
        Map<Object, Object> nested = new LinkedHashMap<>();
        nested.put(10, "ten");
        nested.put(2, "two");
        nested.put(true, "yes");
        map.put("nested", nested);
        List<String> node = Node.run("""
                console.log(JSON.stringify({b: 1, "2": 2, a: [1, "x", true, false], "1": null, "01": 5,
                  "4294967294": 6, "4294967295": 7, "-1": 8, "": {}, "1.5": [], nested: {10: "ten", 2: "two", true: "yes"}}));
                """, "");
        assertEquals(node.get(0), JsJson.stringify(map));
        assertEquals("[1,null,\"a\",[],{}]", JsJson.stringify(new Object[] {1, null, "a", new int[0], Map.of()}));
        assertEquals("[1,2]", JsJson.stringify(new int[] {1, 2}));
        assertEquals("\"c\"", JsJson.stringify('c'));
    }

    @Test
    void parsingAndWritingAgainGivesNodesBytes() {
        // values Node serialized itself: Herald must read them and write them back byte for byte
        List<String> fromNode = Node.run("""
                const values = [
                  {class: "sayHello", queue: "default", args: [{name: "x"}]},
                  {b: 1, "2": 2, a: [1.5, -0, 1e21, 1e-7, 0.1, 12345678901234567890, null, true, "\\u0000\\u2028/\\u00e9\\ud83d\\ude00"]},
                  [[[]], {}, "", 0, -1, 9007199254740993, 1.7976931348623157e308, 5e-324],
                  {"\\ud800": "\\udc00", nested: {deep: {deeper: [1, {x: "y"}]}}},
                  "just a string", 42, null, false
                ];
                console.log(values.map(v => JSON.stringify(v)).join('\\n'));
                """, "");
        for (String json : fromNode) {
            assertEquals(json, JsJson.stringify(JsJson.parse(json)));
        }
        // texts Node did not write (spaces, 1.0, escapes): Herald writes what JSON.stringify(JSON.parse(text)) gives
        List<String> texts = List.of("{ \"class\" : \"x\", \"args\" : [ 1.0, 2E2, -0.0, 1e400, 0.10 ] }",
                "{\"a\":1,\"b\":2,\"a\":3}", "[\"\\/\\u00e9\\uD83D\\uDE00\\ud800\"]", " [1 , 2] ",
                "{\"7\":1,\"3\":2,\"x\":3}", "123456789012345678901234567890", "1E-7", "-1.5e+300");
        List<String> node = Node.run("""
                const lines = require('fs').readFileSync(0, 'utf8').split('\\n');
                console.log(lines.map(l => JSON.stringify(JSON.parse(l))).join('\\n'));
                """, String.join("\n", texts));
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(node.get(i), JsJson.stringify(JsJson.parse(texts.get(i))), texts.get(i));
        }
    }

    @Test
    void parsingGivesPlainJavaValues() {
        assertEquals(1, JsJson.parse("1"));
        assertInstanceOf(Integer.class, JsJson.parse("-2147483648"));
        assertEquals(2_147_483_648L, JsJson.parse("2147483648"));
        assertEquals(9.223372036854776E18, JsJson.parse("9223372036854775808"));
        assertEquals(1.5, JsJson.parse("1.5"));
        assertEquals(100.0, JsJson.parse("1e2"));
        assertNull(JsJson.parse("null"));
        assertEquals(Boolean.TRUE, JsJson.parse(" true "));
        Object object = JsJson.parse("{\"b\":[1,\"x\"],\"a\":{},\"b\":2}");
        assertInstanceOf(LinkedHashMap.class, object);
        assertEquals(List.of("b", "a"), new ArrayList<>(((Map<?, ?>) object).keySet()), "a repeated key keeps its place");
        assertEquals(2, ((Map<?, ?>) object).get("b"), "and its last value");
        assertInstanceOf(ArrayList.class, JsJson.parse("[]"));
    }

    @Test
    void badJsonGivesAPreciseError() {
        for (String text : List.of("", "not json", "{\"a\":1,}", "{} x", "[1,2", "{'a':1}", "NaN", "\"\u0001\"",
                "{\"a\" 1}", "01")) {
            WireFormatException error = assertThrows(WireFormatException.class, () -> JsJson.parse(text), text);
            assertTrue(error.getMessage().startsWith("not JSON") || error.getMessage().startsWith("expected JSON"),
                    error.getMessage());
        }
        WireFormatException deep = assertThrows(WireFormatException.class,
                () -> JsJson.parse("[".repeat(1001) + "]".repeat(1001)));
        assertTrue(deep.getMessage().contains("nested deeper than 1000"), deep.getMessage());
        assertEquals("[".repeat(1000) + "]".repeat(1000), JsJson.stringify(JsJson.parse("[".repeat(1000)
                + "]".repeat(1000))));
        WireFormatException trailing = assertThrows(WireFormatException.class, () -> JsJson.parse("{} x"));
        assertTrue(trailing.getMessage().contains("{} x"), trailing.getMessage());
        assertThrows(WireFormatException.class, () -> JsJson.parseObject("[1]"));
        WireFormatException type = assertThrows(WireFormatException.class, () -> JsJson.stringify(List.of(new Object())));
        assertTrue(type.getMessage().contains("java.lang.Object"), type.getMessage());
        assertThrows(WireFormatException.class, () -> JsJson.stringify(Map.of(List.of(), 1)));
    }

    @Test
    void buffers_outlive_the_thread_that_wrote_with_them() throws Exception {
        // An action enqueues on a short-lived virtual thread (Java 21+): buffers kept per thread were allocated per job.
        RecyclerPool<BufferRecycler> pool = JsonRecyclerPools.sharedConcurrentDequePool();
        pool.clear();
        String[] written = new String[1];
        Thread writer = new Thread(() -> written[0] = JsJson.stringify(Map.of("class", "Echo")));
        writer.start();
        writer.join();
        assertEquals("{\"class\":\"Echo\"}", written[0]);
        assertTrue(pool.pooledCount() > 0, "the writer's buffers went back to the shared pool");
    }
}
