package io.herald.tasks.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** {@link JsDate} against Node's own {@code Date.prototype.toString()} and {@code Date.parse}. */
class JsDateTest {

    /**
     * Zones whose names the JDK's CLDR data and Node's ICU agree on for present-day dates. (They differ for dates
     * before standard time and for zones CLDR has no long name for, e.g. Africa/Casablanca: "GMT+01:00" in Node,
     * "Western European Summer Time" in the JDK; and
     * Node's ICU names America/Sao_Paulo "Brasilia Summer Time" in some years after Brazil dropped summer time.)
     */
    private static final List<String> ZONES = List.of("UTC", "Etc/UTC", "America/Los_Angeles", "America/New_York",
            "Europe/Berlin", "Europe/Paris", "Asia/Kolkata", "Asia/Tokyo", "Australia/Adelaide", "America/St_Johns",
            "Asia/Kathmandu", "Pacific/Chatham", "Asia/Dubai", "Pacific/Auckland", "Etc/GMT-5",
            "Etc/GMT+10");

    @Test
    void formatsAsNodesDateToString() {
        List<Long> instants = new ArrayList<>(List.of(0L, 1_418_421_676_000L, 1_418_421_676_999L, 1_625_140_800_000L,
                1_710_054_000_000L, 1_710_053_999_000L, 4_102_444_800_000L, 1_000_000_000_123L));
        Random random = new Random(42);
        for (int i = 0; i < 40; i++) {
            instants.add(random.nextLong(0, 4_102_444_800_000L)); // 1970 to 2100
        }
        String input = instants.stream().map(String::valueOf).collect(Collectors.joining("\n"));
        String script = """
                const lines = require('fs').readFileSync(0, 'utf8').split('\\n');
                console.log(lines.map(ms => new Date(Number(ms)).toString()).join('\\n'));
                """;
        for (String zone : ZONES) {
            List<String> node = Node.run(script, input, Map.of("TZ", zone));
            for (int i = 0; i < instants.size(); i++) {
                assertEquals(node.get(i), JsDate.format(Instant.ofEpochMilli(instants.get(i)), ZoneId.of(zone)),
                        zone + " at " + instants.get(i));
            }
        }
    }

    @Test
    void fixedOffsetsAreNamedAsNodeNamesThem() {
        Instant instant = Instant.ofEpochMilli(1_418_421_676_000L);
        assertEquals(Node.run("console.log(new Date(1418421676000).toString())", "", Map.of("TZ", "UTC")).get(0),
                JsDate.format(instant, ZoneOffset.UTC));
        assertEquals(Node.run("console.log(new Date(1418421676000).toString())", "", Map.of("TZ", "Etc/GMT-5")).get(0),
                JsDate.format(instant, ZoneOffset.ofHours(5)));
    }

    @Test
    void formatsInTheSystemZoneAsNodeDoesHere() {
        Instant instant = Instant.ofEpochMilli(1_418_421_676_000L);
        List<String> node = Node.run("console.log(new Date(1418421676000).toString())", "",
                Map.of("TZ", ZoneId.systemDefault().getId()));
        assertEquals(node.get(0), JsDate.format(instant));
        assertTrue(JsDate.now().matches("[A-Z][a-z]{2} [A-Z][a-z]{2} \\d{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT[+-]\\d{4}"
                + " \\(.+\\)"), JsDate.now());
    }

    @Test
    void readsWhatNodeWrites() {
        String script = """
                const out = [];
                for (const ms of [0, 1418421676000, 1625140800000, 1710054000000]) out.push(new Date(ms).toString());
                console.log(out.join('\\n'));
                """;
        List<Long> expected = List.of(0L, 1_418_421_676_000L, 1_625_140_800_000L, 1_710_054_000_000L);
        for (String zone : List.of("UTC", "America/Los_Angeles", "Asia/Kathmandu", "America/St_Johns")) {
            List<String> node = Node.run(script, "", Map.of("TZ", zone));
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(Optional.of(Instant.ofEpochMilli(expected.get(i))), JsDate.parse(node.get(i)),
                        node.get(i));
            }
        }
    }

    @Test
    void readsEveryResqueFormatAsDateParseDoes() {
        // the forms Date.parse reads (node-resque's cleanOldWorkers parses run_at with it), checked against Node
        List<String> texts = List.of("Fri Dec 12 2014 14:01:16 GMT-0800 (Pacific Standard Time)",
                "Fri Dec 12 2014 14:01:16 GMT-0800 (PST)", "Fri Dec 12 2014 14:01:16 GMT-0800",
                "Sat Dec 13 2014 03:46:16 GMT+0545 (Nepal Time)", "2014-12-12T22:01:16.000Z", "2014-12-12T22:01:16Z",
                "2014-12-12T14:01:16.123-08:00", "2014-12-12T14:01:16.123-0800", "2014-12-12T14:01:16",
                "2014-12-12", "2014/12/12 14:01:16 PST", "2014/12/12 14:01:16 +0100", "2014/12/12 14:01:16 UTC",
                "2014/12/12 14:01:16", "Fri, 12 Dec 2014 22:01:16 GMT");
        List<String> node = Node.run("""
                const lines = require('fs').readFileSync(0, 'utf8').split('\\n');
                console.log(lines.map(l => String(Date.parse(l))).join('\\n'));
                """, String.join("\n", texts), Map.of("TZ", ZoneId.systemDefault().getId()));
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(Optional.of(Instant.ofEpochMilli(Long.parseLong(node.get(i)))), JsDate.parse(texts.get(i)),
                    texts.get(i));
        }
    }

    @Test
    void readsFormsNodeCannotRead() {
        // Ruby Resque with a daylight-time abbreviation (Date.parse gives NaN): the region's offset then
        assertEquals(Optional.of(LocalDateTime.of(2014, 7, 12, 14, 1, 16).toInstant(ZoneOffset.ofHours(2))),
                JsDate.parse("2014/07/12 14:01:16 CEST"));
        assertEquals(Optional.of(LocalDateTime.of(2014, 7, 12, 14, 1, 16).toInstant(ZoneOffset.ofHours(-7))),
                JsDate.parse("2014/07/12 14:01:16 PDT"));
        assertEquals(Optional.of(Instant.parse("2014-12-12T22:01:16.123Z")),
                JsDate.parse("  2014-12-12T14:01:16.123-0800 "), "Jesque, surrounding space ignored");
    }

    @Test
    void refusesWhatIsNoDate() {
        for (String text : List.of("", "yesterday", "Fri Foo 12 2014 14:01:16 GMT-0800", "2014-13-12T00:00:00Z",
                "2014/12/12 25:01:16", "2014/12/12 14:01:16 Mars/Olympus", "1418421676")) {
            assertEquals(Optional.empty(), JsDate.parse(text), text);
        }
        assertEquals(Optional.empty(), JsDate.parse(null));
    }
}
