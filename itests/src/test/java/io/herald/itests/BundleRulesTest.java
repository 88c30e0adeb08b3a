package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundle rules of the root POM, proven on a fixture bundle ({@code src/test/fixtures/bundle-rules}) that Maven builds
 * in a subprocess with the root POM as its parent: an exported signature naming a private type fails the build (bnd's
 * private-references message, made an error by {@code -fixupmessages}), and so does an incompatible change to an
 * exported package once a release exists to baseline against (bnd-baseline-maven-plugin).
 *
 * <p>Each build copies the fixture to {@code target/fixtures/<name>/} and puts one variant of its exported
 * {@code Greeter} (from {@code variants/<variant>/}) in place. The builds share a throw-away local repository, so the
 * fake release they install never reaches the outer build's; it reads everything else from the outer build's local
 * repository, mirrored as a {@code file:} repository (nothing is downloaded).
 */
class BundleRulesTest {

    private static final Path FIXTURE = Path.of(System.getProperty("herald.fixtures.source",
            "src/test/fixtures/bundle-rules")).toAbsolutePath().normalize();
    /** Where the copies are built: the fixture's relativePath (../../../../pom.xml) reaches the root POM from here. */
    private static final Path WORK = Path.of(System.getProperty("herald.fixtures.work", "target/fixtures"))
            .toAbsolutePath().normalize();
    private static final Path OUTER_REPOSITORY = Path.of(System.getProperty("herald.maven.repo.local",
            System.getProperty("user.home") + "/.m2/repository"));
    /** The outer build's Maven (its maven.home), or the one on the PATH. */
    private static final String MVN = System.getProperty("herald.maven.home") == null ? "mvn"
            : Path.of(System.getProperty("herald.maven.home"), "bin", "mvn").toString();

    private static Path settings;
    private static Path repository;

    /** The sealed Greeter released as 1.0.0: it uses its private package only inside a method body, so it builds. */
    @BeforeAll
    static void release_the_sealed_greeter() throws Exception {
        deleteRecursively(WORK);
        repository = Files.createDirectories(WORK.resolve("repository"));
        settings = WORK.resolve("settings.xml");
        String outer = OUTER_REPOSITORY.toUri().toString();
        // The outer repository stands in for every remote one; checksums are not checked because a local repository
        // has none for what was installed into it.
        String policy = "<releases><checksumPolicy>ignore</checksumPolicy></releases>"
                + "<snapshots><checksumPolicy>ignore</checksumPolicy></snapshots>";
        Files.writeString(settings, """
                <settings>
                  <mirrors><mirror><id>outer</id><mirrorOf>*</mirrorOf><url>%1$s</url></mirror></mirrors>
                  <profiles><profile><id>outer</id>
                    <repositories><repository><id>central</id><url>%1$s</url>%2$s</repository></repositories>
                    <pluginRepositories><pluginRepository><id>central</id><url>%1$s</url>%2$s</pluginRepository></pluginRepositories>
                  </profile></profiles>
                  <activeProfiles><activeProfile>outer</activeProfile></activeProfiles>
                </settings>
                """.formatted(outer, policy));

        Build release = build("release", "sealed", "1.0.0", "install");
        assertEquals(0, release.exit(), release.output());
    }

    @Test
    void an_exported_signature_naming_a_private_type_fails_the_build() throws Exception {
        Build leaky = build("leaky", "leaky", "1.0.1", "verify");

        assertNotEquals(0, leaky.exit(), leaky.output());
        assertTrue(leaky.output().contains("[ERROR] Failed to execute goal biz.aQute.bnd:bnd-maven-plugin")
                && leaky.output().contains("Export io.herald.fixture.greeter,  has 1,  private references "
                        + "[io.herald.fixture.greeter.internal]"), leaky.output());
    }

    @Test
    void a_method_removed_under_the_released_package_version_fails_the_build() throws Exception {
        Build renamed = build("renamed", "renamed", "1.1.0", "verify");

        assertNotEquals(0, renamed.exit(), renamed.output());
        assertTrue(renamed.output().contains("The baseline version was found to be 1.0.0"), renamed.output());
        assertTrue(renamed.output().contains("Baseline problems detected"), renamed.output());
        assertTrue(renamed.output().matches("(?s).*\\* io\\.herald\\.fixture\\.greeter +PACKAGE +MAJOR +1\\.0\\.0 +1\\.0\\.0"
                + " +2\\.0\\.0.*REMOVED +METHOD +greet\\(java\\.lang\\.String\\).*"), renamed.output());
    }

    @Test
    void a_method_added_under_a_minor_package_version_builds() throws Exception {
        Build extended = build("extended", "extended", "1.1.0", "verify");

        assertEquals(0, extended.exit(), extended.output());
        assertTrue(extended.output().contains("Baseline check succeeded"), extended.output());
    }

    private record Build(int exit, String output) {
    }

    private static Build build(String name, String variant, String version, String phase) throws Exception {
        Path project = WORK.resolve(name);
        copyRecursively(FIXTURE, project);
        Path variants = project.resolve("variants");
        Path exported = project.resolve("src/main/java/io/herald/fixture/greeter");
        try (Stream<Path> files = Files.list(variants.resolve(variant))) {
            for (Path file : files.toList()) {
                Files.copy(file, exported.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        deleteRecursively(variants);

        List<String> command = new ArrayList<>(List.of(MVN, "-B", "-s", settings.toString(), "-gs", settings.toString(),
                "-Dmaven.repo.local=" + repository, "-Drevision=" + version, "-DskipTests", phase));
        Path log = WORK.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("mvn " + phase + " of " + name + " did not finish in 3 minutes:\n"
                    + Files.readString(log));
        }
        return new Build(process.exitValue(), Files.readString(log));
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Files.copy(path, to.resolve(from.relativize(path).toString()));
            }
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(path);
            }
        }
    }
}
