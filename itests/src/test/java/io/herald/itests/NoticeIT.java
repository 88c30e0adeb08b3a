package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * NOTICE names exactly the third-party jars the built distribution ships: every jar of {@code lib/} and
 * {@code bundle/} that is not Herald's own ({@code herald-*}) has its line, and every jar a line names is there. So a
 * dependency added to (or upgraded in) the distribution fails the build until NOTICE says what it is and under which
 * license. The distribution carries LICENSE and NOTICE, the same files as the repository's.
 */
class NoticeIT {

    private static final Path NOTICE = Path.of(System.getProperty("herald.notice", "../NOTICE")).toAbsolutePath();
    /** A jar named in NOTICE: {@code lib/<file>.jar} or {@code bundle/<file>.jar} at the start of an indented line. */
    private static final Pattern NAMED = Pattern.compile("(?m)^ +((?:lib|bundle)/[^ /]+\\.jar) ");

    @Test
    void notice_names_every_third_party_jar_of_the_distribution_and_no_other() throws IOException {
        Set<String> shipped = new TreeSet<>();
        for (String dir : List.of("lib", "bundle")) {
            try (Stream<Path> jars = Files.list(HeraldProcess.DISTRIBUTION.resolve(dir))) {
                jars.map(jar -> dir + "/" + jar.getFileName())
                        .filter(name -> name.endsWith(".jar") && !name.startsWith(dir + "/herald-"))
                        .forEach(shipped::add);
            }
        }
        Set<String> named = new TreeSet<>();
        Matcher matcher = NAMED.matcher(Files.readString(NOTICE));
        while (matcher.find()) {
            named.add(matcher.group(1));
        }
        assertTrue(shipped.size() > 30, "the distribution looks empty: " + shipped);

        List<String> unnamed = new ArrayList<>(shipped);
        unnamed.removeAll(named);
        List<String> stale = new ArrayList<>(named);
        stale.removeAll(shipped);
        assertEquals(List.of(), unnamed, "jars of the distribution that NOTICE does not name (add a line each: file, "
                + "project and version, license, copyright holder)");
        assertEquals(List.of(), stale, "jars NOTICE names that the distribution does not ship (remove or update them)");
    }

    @Test
    void the_distribution_carries_the_license_and_the_notice() throws IOException {
        assertEquals(Files.readString(NOTICE), Files.readString(HeraldProcess.DISTRIBUTION.resolve("NOTICE")));
        String license = Files.readString(HeraldProcess.DISTRIBUTION.resolve("LICENSE"));
        assertEquals(Files.readString(NOTICE.resolveSibling("LICENSE")), license);
        assertTrue(license.contains("Apache License") && license.contains("Version 2.0, January 2004")
                && license.contains("END OF TERMS AND CONDITIONS"), "LICENSE is not the Apache License 2.0 text");
    }
}
