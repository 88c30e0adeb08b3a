package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MavenUrlTest {

    @Test
    void maps_coordinates_to_the_flat_bundle_file_name() {
        assertEquals("jetty-server-12.1.14.jar", MavenUrl.parse("mvn:org.eclipse.jetty/jetty-server/12.1.14").fileName());
        assertEquals("herald-core-0.1.0-SNAPSHOT.jar", MavenUrl.parse(" mvn:io.herald/herald-core/0.1.0-SNAPSHOT ").fileName());
    }

    @Test
    void type_and_classifier() {
        assertEquals("thing-1.0.war", MavenUrl.parse("mvn:g/thing/1.0/war").fileName());
        assertEquals("thing-1.0-osgi.jar", MavenUrl.parse("mvn:g/thing/1.0/jar/osgi").fileName());
        assertEquals("thing-1.0-osgi.jar", MavenUrl.parse("mvn:g/thing/1.0//osgi").fileName());
    }

    @Test
    void repository_prefix_is_ignored() {
        MavenUrl url = MavenUrl.parse("mvn:https://repo1.maven.org/maven2!org.osgi/org.osgi.util.promise/1.3.0");
        assertEquals("org.osgi", url.groupId());
        assertEquals("org.osgi.util.promise-1.3.0.jar", url.fileName());
    }

    @Test
    void round_trips_to_text() {
        assertEquals("mvn:g/a/1", MavenUrl.parse("mvn:g/a/1").toString());
        assertEquals("mvn:g/a/1/xml/features", MavenUrl.parse("mvn:g/a/1/xml/features").toString());
    }

    @Test
    void rejects_what_is_not_a_maven_url() {
        assertEquals("'file:/x.jar' is not an mvn: URL",
                assertThrows(IllegalArgumentException.class, () -> MavenUrl.parse("file:/x.jar")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> MavenUrl.parse("mvn:g/a"));
        assertEquals("'mvn:g//1' has an empty artifactId",
                assertThrows(IllegalArgumentException.class, () -> MavenUrl.parse("mvn:g//1")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> MavenUrl.parse("mvn:g/a/1/jar/c/extra"));
    }
}
