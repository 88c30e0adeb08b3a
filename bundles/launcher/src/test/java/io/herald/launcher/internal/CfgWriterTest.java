package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.fileinstall.shaded.util.properties.TypedProperties;
import org.junit.jupiter.api.Test;

/** Reads what the writer produced with FileInstall's own parser, substitution included, as ConfigAdmin gets it. */
class CfgWriterTest {

    private static Map<String, Object> readAsFileInstall(String text) throws Exception {
        // Any ${...} left for FileInstall would resolve to this marker, which must never appear.
        TypedProperties properties = new TypedProperties((name, key, value) -> "SUBSTITUTED");
        properties.load(new StringReader(text));
        Map<String, Object> result = new LinkedHashMap<>();
        for (String key : properties.keySet()) {
            result.put(key, properties.get(key));
        }
        return result;
    }

    @Test
    void fileinstall_reads_back_exactly_the_staged_values() throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("plain", "8080");
        values.put("empty", "");
        values.put("dollar", "pa${ss}word");
        values.put("env", "${env:HOME}");
        values.put("braces", "{\"a\": {}}");
        values.put("windows", "C:\\herald\\log");
        values.put("spaces", "  padded  ");
        values.put("lines", "one\ntwo\tthree");
        values.put("unicode", "caf\u00e9 \u2713");
        values.put("regex", ".*\\.jar");
        values.put("key with = and : ", "v");
        values.put("#hash", "!bang");

        Map<String, Object> read = readAsFileInstall(CfgWriter.write(values, List.of("header")));

        assertEquals(values, read);
    }

    @Test
    void header_lines_are_comments() throws Exception {
        String text = CfgWriter.write(Map.of("a", "b"), List.of("Sources:", "/x/config/a.cfg"));
        assertEquals("# Sources:\n# /x/config/a.cfg\na = b\n", text);
        assertEquals(Map.of("a", "b"), readAsFileInstall(text));
    }

    @Test
    void typed_files_are_written_verbatim_for_fileinstall_to_type() throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("ports", "[ \"8080\", \"8081\" ]");
        values.put("count", "I\"5\"");

        Map<String, Object> read = readAsFileInstall(CfgWriter.write(values, List.of()));

        assertEquals(5, read.get("count"));
        assertEquals(List.of("8080", "8081"), List.of((String[]) read.get("ports")));
    }
}
