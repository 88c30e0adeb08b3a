package io.herald.server.web.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herald.api.spi.HeraldError;

/** Param parsing: percent-decoding, query strings and forms, path segments, client addresses, content types. */
class RequestDecodingTest {

    private static String decode(String text) throws WebException {
        return PercentDecoder.decode(text, 0, text.length(), true, "the test");
    }

    private static Map<String, Object> query(String query, boolean repeatedAsList) throws WebException {
        Map<String, Object> params = new LinkedHashMap<>();
        FormDecoder.decodeInto(query, params, repeatedAsList, "the query string");
        return params;
    }

    @Test
    void percent_decoding_reads_utf8_and_plus_as_space() throws Exception {
        assertEquals("plain", decode("plain"));
        assertEquals("a b c", decode("a+b%20c"));
        assertEquals("\u2713 caf\u00e9", decode("%E2%9C%93+caf%C3%A9"));
        assertEquals("a+b", PercentDecoder.decode("a+b", 0, 3, false, "the path"));
    }

    @Test
    void broken_escapes_and_bytes_that_are_not_utf8_are_refused() {
        for (String bad : List.of("%zz", "%", "abc%4", "%4g")) {
            WebException refusal = assertThrows(WebException.class, () -> decode(bad));
            assertEquals(HeraldError.MALFORMED_REQUEST, refusal.error());
            assertTrue(((String) refusal.args()[0]).startsWith("invalid percent-encoding \"%"), bad);
        }
        WebException notUtf8 = assertThrows(WebException.class, () -> decode("%C3%28"));
        assertArrayEquals(new Object[] { "percent-encoded bytes in the test are not UTF-8" }, notUtf8.args());
    }

    @Test
    void raw_characters_are_kept_unless_jetty_replaced_bytes_that_were_not_utf8() throws Exception {
        assertEquals("caf\u00e9", decode("caf\u00e9"));
        WebException replaced = assertThrows(WebException.class, () -> decode("a\uFFFDb"));
        assertEquals(HeraldError.MALFORMED_REQUEST, replaced.error());
        assertEquals("bytes in the test are not UTF-8", replaced.args()[0]);
    }

    @Test
    void a_query_string_becomes_params() throws Exception {
        Map<String, Object> params = query("a=1&b=&c&=ignored&&d=x%3Dy&a=2&a=3", true);

        assertEquals(List.of("1", "2", "3"), params.get("a"));
        assertEquals("", params.get("b"));
        assertEquals("", params.get("c"));
        assertEquals("x=y", params.get("d"));
        assertFalse(params.containsKey(""));
        assertEquals("3", query("a=1&a=2&a=3", false).get("a"));
    }

    @Test
    void paths_split_into_segments_without_empty_ones() throws Exception {
        assertEquals(List.of("api", "echo", "x"), PathSegments.split("//api/echo//x/"));
        assertEquals(List.of(), PathSegments.split("/"));
        assertTrue(PathSegments.startsWith(List.of("api", "echo"), List.of("api")));
        assertFalse(PathSegments.startsWith(List.of("apiary"), List.of("api")));
        assertTrue(PathSegments.startsWith(List.of("anything"), List.of()));
        assertEquals(List.of("echo", "a b"), PathSegments.decode(List.of("api", "echo", "a%20b"), 1));
    }

    @Test
    void forwarded_addresses_are_split_into_host_and_port() {
        assertArrayEquals(new String[] { "1.2.3.4", null }, ClientAddress.splitHostPort("1.2.3.4"));
        assertArrayEquals(new String[] { "1.2.3.4", "5678" }, ClientAddress.splitHostPort("1.2.3.4:5678"));
        assertArrayEquals(new String[] { "1.2.3.4", null }, ClientAddress.splitHostPort("::ffff:1.2.3.4"));
        assertArrayEquals(new String[] { "2001:db8::1", null }, ClientAddress.splitHostPort("2001:db8::1"));
        assertArrayEquals(new String[] { "::1", "8080" }, ClientAddress.splitHostPort("[::1]:8080"));
    }

    @Test
    void content_types_are_compared_without_parameters_or_case() {
        assertEquals("application/json", RequestBody.mediaType("Application/JSON; charset=UTF-8"));
        assertEquals("multipart/form-data", RequestBody.mediaType("multipart/form-data;boundary=x"));
    }
}
