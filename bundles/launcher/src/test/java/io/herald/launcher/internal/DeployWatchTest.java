package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployWatchTest {

    @TempDir
    Path deploy;

    private void jar(String file, String symbolicName) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        try (OutputStream out = Files.newOutputStream(deploy.resolve(file)); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
    }

    @Test
    void the_bundles_of_deploy_are_named_by_their_symbolic_names() throws IOException {
        jar("app.jar", "com.example.app;singleton:=true");
        jar("tasks.jar", "com.example.tasks");
        jar("plain.jar", null);
        jar("copying.jar.tmp-copy", "com.example.half");
        Files.writeString(deploy.resolve("broken.jar"), "not a zip");

        assertEquals(Set.of("com.example.app", "com.example.tasks"), DeployWatch.bundleNames(deploy));
        assertEquals(Set.of(), DeployWatch.bundleNames(deploy.resolve("absent")));
    }

    @Test
    void a_start_holds_the_task_processors_only_for_a_role_with_tasks_and_bundles_in_deploy() throws IOException {
        FeaturesFile.Resolution tasksRole = new FeaturesFile.Resolution("worker", List.of("herald-core", "herald-tasks"),
                List.of(), Map.of());
        FeaturesFile.Resolution plainRole = new FeaturesFile.Resolution("web", List.of("herald-core"), List.of(), Map.of());

        assertFalse(TaskProcessorHold.needed(tasksRole, deploy), "nothing in deploy/: nothing to wait for");
        jar("app.jar", "com.example.app");
        assertTrue(TaskProcessorHold.needed(tasksRole, deploy));
        assertFalse(TaskProcessorHold.needed(plainRole, deploy));
        assertEquals(Map.of("minTaskProcessors", "0", "maxTaskProcessors", "0", "scheduler", "false"),
                TaskProcessorHold.OVERRIDES.keys().get("io.herald.tasks"));
    }
}
