package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CfgParserTest {

    @Test
    void reads_keys_in_order_and_skips_comments_and_blank_lines() throws Exception {
        Map<String, String> values = CfgParser.parse("""
                # a comment
                ! another comment

                port = 8080
                host:localhost
                   indented = yes
                """, "test.cfg");
        assertEquals(List.of("port", "host", "indented"), List.copyOf(values.keySet()));
        assertEquals("8080", values.get("port"));
        assertEquals("localhost", values.get("host"));
        assertEquals("yes", values.get("indented"));
    }

    @Test
    void empty_value_is_allowed_and_trailing_spaces_are_dropped() throws Exception {
        Map<String, String> values = CfgParser.parse("id =\nname = herald   \nkept = a\\ \n", "test.cfg");
        assertEquals("", values.get("id"));
        assertEquals("herald", values.get("name"));
        assertEquals("a ", values.get("kept"));
    }

    @Test
    void joins_continued_lines_and_decodes_escapes() throws Exception {
        Map<String, String> values = CfgParser.parse("""
                list = a,\\
                       b,\\
                       c
                escaped\\=key = tab\\there\\u00e9 \\\\ end
                """, "test.cfg");
        assertEquals("a,b,c", values.get("list"));
        assertEquals("tab\there\u00e9 \\ end", values.get("escaped=key"));
    }

    @Test
    void value_may_contain_separators_after_the_first() throws Exception {
        Map<String, String> values = CfgParser.parse("url = http://localhost:8080/a=b\n", "test.cfg");
        assertEquals("http://localhost:8080/a=b", values.get("url"));
    }

    @Test
    void last_of_a_repeated_key_wins() throws Exception {
        assertEquals("2", CfgParser.parse("a = 1\na = 2\n", "test.cfg").get("a"));
    }

    @Test
    void line_without_separator_is_an_error_naming_file_and_line() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> CfgParser.parse("port = 1\n\nport 8080\n", "/x/config/io.herald.server.web.cfg"));
        assertEquals("/x/config/io.herald.server.web.cfg:3: cannot parse 'port 8080' (expected key = value)",
                error.getMessage());
    }

    @Test
    void empty_key_and_bad_unicode_escape_are_errors() {
        assertTrue(assertThrows(ConfigException.class, () -> CfgParser.parse(" = value\n", "a.cfg"))
                .getMessage().startsWith("a.cfg:1: empty key"));
        assertTrue(assertThrows(ConfigException.class, () -> CfgParser.parse("k = \\u12\n", "a.cfg"))
                .getMessage().contains("incomplete \\u escape"));
        assertTrue(assertThrows(ConfigException.class, () -> CfgParser.parse("k = \\uzzzz\n", "a.cfg"))
                .getMessage().contains("bad \\u escape"));
    }
}
