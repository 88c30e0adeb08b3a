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
import io.herald.api.spi.Messages;

/** Param parsing: percent-decoding, query strings and forms, path segments, client addresses, content types. */
class RequestDecodingTest {

    private static String decode(String text) throws WebException {
        return PercentDecoder.decode(text, 0, text.length(), true, "the test");
    }

    private static Map<String, Object> query(String query, boolean repeatedAsList) throws WebException {
        Map<String, Object> params = new LinkedHashMap<>();
        BracketParams fields = new BracketParams(params, true, 1000, 5, "the query string");
        FormDecoder.decodeInto(query, repeatedAsList ? fields : fields.forBody("the form body"), "the query string");
        return params;
    }

    // ---- bracket params (Actionhero's qs)

    @Test
    void bracket_names_become_nested_objects() throws Exception {
        assertEquals(Map.of("user", Map.of("name", "x", "address", Map.of("city", "Paris"))),
                query("user[name]=x&user[address][city]=Paris", true));
    }

    @Test
    void empty_brackets_and_indexes_become_lists() throws Exception {
        assertEquals(Map.of("a", List.of("1", "2")), query("a[]=1&a[]=2", true));
        assertEquals(Map.of("a", List.of("x", "y")), query("a[0]=x&a[1]=y", true));
        assertEquals(Map.of("a", List.of("x", "y")), query("a%5B%5D=x&a%5B%5D=y", true));
        assertEquals(Map.of("items", List.of(Map.of("id", "1"), Map.of("id", "2"))), query("items[][id]=1&items[][id]=2", true));
    }

    @Test
    void a_large_index_is_an_object_key_not_a_list_position() throws Exception {
        assertEquals(Map.of("a", Map.of("999999999", "x")), query("a[999999999]=x", true));
    }

    @Test
    void names_whose_brackets_do_not_close_stay_flat() throws Exception {
        assertEquals(Map.of("a[b", "1", "[c]", "2"), query("a[b=1&[c]=2", true));
    }

    @Test
    void a_form_keeps_the_last_value_of_a_repeated_bracket_name() throws Exception {
        assertEquals(Map.of("user", Map.of("name", "second")), query("user[name]=first&user[name]=second", false));
    }

    @Test
    void bracket_limits_are_refused_in_the_catalogues_words() {
        WebException deep = assertThrows(WebException.class, () -> query("a[1][2][3][4][5][6]=x", true));
        assertEquals(HeraldError.PARAM_TOO_DEEP, deep.error());
        assertEquals("a is nested too deeply: at most 5 levels are accepted",
                Messages.defaults().format(deep.error(), deep.args()));

        Map<String, Object> params = new LinkedHashMap<>();
        BracketParams fields = new BracketParams(params, true, 3, 5, "the query string");
        WebException many = assertThrows(WebException.class, () -> FormDecoder.decodeInto("a=1&b=2&c=3&d=4", fields, "q"));
        assertEquals(HeraldError.TOO_MANY_PARAMS, many.error());
        assertEquals("too many params: at most 3 are accepted", Messages.defaults().format(many.error(), many.args()));

        WebException both = assertThrows(WebException.class, () -> query("a=1&a[b]=2", true));
        assertEquals(HeraldError.MALFORMED_REQUEST, both.error());
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
